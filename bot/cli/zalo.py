"""`python -m bot zalo authorize|status`: connect the commune's Zalo Official Account, and check it.

The OA's side (OAuth, the token store) is a channel adapter, which the
command line may not import: the composition root (`bot/cli/main.py`)
hands it over as `args.open_zalo_oa`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from bot.core.config import Settings

REAUTHORISE = "python -m bot zalo authorize"


@dataclass(frozen=True)
class OAStatus:
    """What `zalo status` shows."""

    stored: bool
    expires_at: float | None  # Unix time
    problem: str | None  # set: the OA must be re-authorised
    last_event_at: float | None  # Unix time of the last webhook event taken in
    last_event: str | None


class OAAdmin(Protocol):
    """The OA's one-time authorisation and its health, as the channel adapter provides them."""

    def permission_url(self, redirect_uri: str) -> tuple[str, str]:
        """The page the OA's admin opens, and the PKCE verifier to exchange the code with."""
        ...

    async def authorize(self, code: str, verifier: str) -> float:
        """Exchange the code, store the pair; the access token's expiry (Unix time)."""
        ...

    async def adopt(self, refresh_token: str) -> None:
        """Store a refresh token got elsewhere (Zalo's API Explorer) as the pair to refresh."""
        ...

    async def status(self) -> OAStatus: ...


OpenAdmin = Callable[[Settings], AbstractAsyncContextManager[OAAdmin]]


def add_parser(sub: Any) -> None:
    zalo = sub.add_parser("zalo", help="connect the Zalo Official Account, or check it")
    actions = zalo.add_subparsers(dest="action", metavar="ACTION", required=True)
    authorize = actions.add_parser(
        "authorize", help="authorise the bot on the OA (once, or after a lost token)"
    )
    how = authorize.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--redirect-uri",
        help="the callback URL registered in the Zalo app (Zalo sends the code there)",
    )
    how.add_argument(
        "--refresh-token",
        help="a refresh token got from Zalo's API Explorer instead (it is single-use)",
    )
    authorize.set_defaults(func=lambda args, settings: _call(_authorize, args, settings))
    status = actions.add_parser("status", help="token expiry, re-authorisation, webhook health")
    status.set_defaults(func=lambda args, settings: _call(_status, args, settings))


def _call(action: Any, args: argparse.Namespace, settings: Settings) -> int:
    if settings.zalo_oa is None:
        print("ZALO_OA_APP_ID: not set, so there is no Zalo OA to manage", file=sys.stderr)
        return 2

    async def run() -> int:
        async with args.open_zalo_oa(settings) as admin:
            result: int = await action(args, admin)
            return result

    return asyncio.run(run())


async def _authorize(args: argparse.Namespace, admin: OAAdmin) -> int:
    if args.refresh_token:
        await admin.adopt(args.refresh_token.strip())
        print("Stored. The bot exchanges this refresh token for a pair at its next call to Zalo;")
        print("do not use the token anywhere else: Zalo accepts it once.")
        return 0
    url, verifier = admin.permission_url(args.redirect_uri)
    print("1. Open this address, signed in to Zalo as an admin of the OA, and allow the app:")
    print(f"\n   {url}\n")
    print("2. Zalo then opens the callback address with ?code=... in it.")
    pasted = (
        await asyncio.to_thread(input, "   Paste that address (or just the code) here: ")
    ).strip()
    code = code_of(pasted)
    if not code:
        print("No code found in what was pasted; nothing changed.", file=sys.stderr)
        return 1
    try:
        expires_at = await admin.authorize(code, verifier)
    except Exception as exc:  # Zalo's refusal or the network's: the adapter's types, said plainly
        print(f"Could not exchange the code: {exc}; nothing changed.", file=sys.stderr)
        return 1
    print(
        f"Authorised. The token pair is stored; the access token is valid until {_when(expires_at)}."
    )
    return 0


def code_of(pasted: str) -> str:
    """The authorisation code from a pasted callback address, or the pasted code itself."""
    if "code=" not in pasted:
        return pasted if pasted and " " not in pasted else ""
    query = parse_qs(urlparse(pasted).query or pasted.split("?", 1)[-1])
    return (query.get("code") or [""])[0]


async def _status(args: argparse.Namespace, admin: OAAdmin) -> int:
    status = await admin.status()
    if not status.stored:
        print(f"Token: none stored. Set ZALO_OA_REFRESH_TOKEN or run: {REAUTHORISE}")
    elif status.expires_at is None:
        print("Token: a refresh token only; the bot gets an access token at its first call")
    elif status.expires_at <= time.time():
        print(f"Token: expired at {_when(status.expires_at)}; refreshed at the next call")
    else:
        print(f"Token: access token valid until {_when(status.expires_at)}")
    if status.problem:
        print(f"Re-authorisation NEEDED: {status.problem}. Run: {REAUTHORISE}")
    else:
        print("Re-authorisation: not needed")
    if status.last_event_at is None:
        print("Webhook: no event received yet")
    else:
        minutes = (time.time() - status.last_event_at) / 60
        print(
            f"Webhook: last event {status.last_event} at {_when(status.last_event_at)}"
            f" ({minutes:.0f} minutes ago)"
        )
    return 1 if status.problem or not status.stored else 0


def _when(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%d %H:%M UTC")
