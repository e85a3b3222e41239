"""What `python -m bot zalo authorize|status` needs from the OA channel (bot/cli/zalo.py)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.cli.zalo import OAStatus
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from handlers.zalo_oa.app import oa_config
from handlers.zalo_oa.tokens import OAuthClient, TokenKeeper, pkce_pair


class Admin:
    """The OA's authorisation and health over the bot's database."""

    def __init__(self, db: Database, oauth: OAuthClient, tokens: TokenKeeper) -> None:
        self._db = db
        self._oauth = oauth
        self._tokens = tokens

    def permission_url(self, redirect_uri: str) -> tuple[str, str]:
        verifier, challenge = pkce_pair()
        url = self._oauth.permission_url(challenge, secrets.token_urlsafe(8), redirect_uri)
        return url, verifier

    async def authorize(self, code: str, verifier: str) -> float:
        grant = await self._oauth.exchange(code, verifier)
        await self._tokens.store(grant)
        status = await self._tokens.status()
        assert status.expires_at is not None
        return status.expires_at

    async def adopt(self, refresh_token: str) -> None:
        await self._tokens.store(refresh_token)

    async def status(self) -> OAStatus:
        tokens = await self._tokens.status()
        last = await self._db.fetchone(
            "SELECT received_at, event_name FROM zalo_oa_events ORDER BY received_at DESC LIMIT 1"
        )
        return OAStatus(
            stored=tokens.stored,
            expires_at=tokens.expires_at,
            problem=tokens.problem,
            last_event_at=float(last["received_at"]) if last else None,
            last_event=str(last["event_name"]) if last else None,
        )


@asynccontextmanager
async def open_admin(settings: Settings) -> AsyncIterator[Admin]:
    """An Admin over the bot's database and Zalo's OAuth server, closed at the end."""
    config = oa_config(settings)
    db = await Database.open(settings.database_path)
    try:
        async with httpx.AsyncClient(timeout=30.0) as http:
            oauth = OAuthClient(config.oauth_url, config.app_id, config.app_secret, http)
            yield Admin(db, oauth, TokenKeeper(db, oauth, SystemClock()))
    finally:
        await db.close()
