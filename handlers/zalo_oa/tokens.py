"""The OA's OAuth v4 token pair: kept in SQLite, refreshed one at a time, never a spent token twice.

Zalo's access token lives about 25 hours; the refresh token is single-use
and replaced by every refresh. Losing the new pair (a crash between Zalo's
answer and our write) or sending a spent refresh token again means the
commune must re-authorise the OA by hand, so:

- the new pair is written in one transaction before anyone uses it;
- one refresh runs at a time (an asyncio lock); callers that find the token
  stale while one runs wait for it and take its result;
- before the call, the refresh token being spent is recorded (`spending`).
  Found at start-up, the process died mid-refresh: that token is never sent
  again, and the store says loudly (ERROR, `zalo status`) that the OA must
  be re-authorised (`python -m bot zalo authorize`).

```mermaid
flowchart LR
    A[access_token] -->|fresh| U[use it]
    A -->|stale or -216| L{lock}
    L -->|another refreshed meanwhile| U
    L --> M[record spending X] --> Z[POST /v4/oa/access_token] -->|new pair| S[store pair, clear X] --> U
    Z -->|refused| P[problem: re-authorise]
    M -. crash .-> R[restart: X is spent, problem: re-authorise]
```
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.core.clock import Clock
from bot.core.db import Database

log = logging.getLogger(__name__)

# Refresh this long before Zalo's stated expiry: a token that dies in flight costs a -216.
EARLY = 300.0
REAUTHORISE = "re-authorise the OA: python -m bot zalo authorize"


class ReauthorisationNeeded(Exception):
    """No usable token pair: an officer must run `python -m bot zalo authorize`."""


class TokenUnavailable(Exception):
    """The refresh did not go through this time (Zalo unreachable); worth another try."""


class OAuthRefused(Exception):
    """Zalo's OAuth server answered with an error (a spent or revoked token, a bad code)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"Zalo OAuth error {code}: {message}")
        self.code = code


@dataclass(frozen=True)
class Grant:
    """What Zalo's OAuth server gives: a token pair and the access token's life in seconds."""

    access_token: str
    refresh_token: str
    expires_in: float


@dataclass(frozen=True)
class TokenStatus:
    """What `zalo status` shows."""

    stored: bool  # the database holds a pair
    expires_at: float | None  # Unix time the access token stops working
    problem: str | None  # why the OA must be re-authorised, when it must


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 code challenge (RFC 7636), as Zalo's v4 asks."""
    verifier = secrets.token_urlsafe(32)  # 43 characters of the unreserved set
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


class OAuthClient:
    """Zalo's OAuth v4 endpoints for an OA: the permission page and the token exchange."""

    def __init__(self, oauth_url: str, app_id: str, app_secret: str, http: httpx.AsyncClient):
        self._url = oauth_url
        self._app_id = app_id
        self._secret = app_secret
        self._http = http

    def permission_url(self, code_challenge: str, state: str, redirect_uri: str) -> str:
        """The page where the OA's admin grants the app access; Zalo then redirects with `code`."""
        query = urlencode(
            {
                "app_id": self._app_id,
                "redirect_uri": redirect_uri,
                "code_challenge": code_challenge,
                "state": state,
            }
        )
        return f"{self._url}/v4/oa/permission?{query}"

    async def exchange(self, code: str, verifier: str) -> Grant:
        """The authorisation code (with its PKCE verifier) for a first token pair."""
        return await self._token(
            {"code": code, "code_verifier": verifier, "grant_type": "authorization_code"}
        )

    async def refresh(self, refresh_token: str) -> Grant:
        """A spent refresh token for a new pair; the old refresh token is dead afterwards."""
        return await self._token({"refresh_token": refresh_token, "grant_type": "refresh_token"})

    async def _token(self, form: dict[str, str]) -> Grant:
        response = await self._http.post(
            f"{self._url}/v4/oa/access_token",
            data={**form, "app_id": self._app_id},
            headers={"secret_key": self._secret},
        )
        if response.status_code >= 500:
            raise httpx.HTTPStatusError(
                f"Zalo OAuth answered {response.status_code}",
                request=response.request,
                response=response,
            )
        body: dict[str, Any] = response.json() if response.content else {}
        if not body.get("access_token") or not body.get("refresh_token"):
            code = int(body.get("error") or -1)
            reason = body.get("error_description") or body.get("error_name") or str(body)
            raise OAuthRefused(code, str(reason))
        # Zalo sends expires_in as a string of seconds ("90000").
        return Grant(body["access_token"], body["refresh_token"], float(body["expires_in"]))


class TokenKeeper:
    """The OA's token pair in `zalo_oa_tokens`; hands out a live access token."""

    def __init__(self, db: Database, oauth: OAuthClient, clock: Clock) -> None:
        self._db = db
        self._oauth = oauth
        self._clock = clock
        self._lock = asyncio.Lock()
        # The refresh token this process is spending now, or spent and got no
        # answer for (a timeout): its marker is ours, not a dead process's.
        self._spending_here: str | None = None

    async def start(self, bootstrap: str | None) -> None:
        """Take `bootstrap` (ZALO_OA_REFRESH_TOKEN) while no pair is stored; find a crash mid-refresh."""
        row = await self._row()
        if row is None:
            if bootstrap:
                await self._db.execute(
                    "INSERT INTO zalo_oa_tokens (id, refresh_token, expires_at, updated_at)"
                    " VALUES (1, ?, 0, ?)",
                    (bootstrap, self._now()),
                )
                log.info("Zalo OA: took the refresh token from ZALO_OA_REFRESH_TOKEN")
            else:
                log.error("Zalo OA: no token pair stored; %s", REAUTHORISE)
            return
        if bootstrap and bootstrap != row["refresh_token"]:
            log.info("Zalo OA: ZALO_OA_REFRESH_TOKEN ignored: the database holds the current pair")
        if row["spending"] is not None and row["problem"] is None:
            await self._give_up(
                "the bot stopped while exchanging its refresh token with Zalo; the new pair"
                " may be lost and the old token is spent, so it is not sent again"
            )
        elif row["problem"] is not None:
            log.error("Zalo OA: %s; %s", row["problem"], REAUTHORISE)

    async def access_token(self) -> str:
        """A live access token, refreshed first when it is (about to be) expired."""
        row = await self._row()
        if row is not None and self._fresh(row):
            return str(row["access_token"])
        return await self._refresh_unless(row["access_token"] if row is not None else None)

    async def refreshed(self, refused: str) -> str:
        """A new access token after Zalo refused `refused` (-216), unless another caller got one."""
        return await self._refresh_unless(refused)

    async def store(self, grant: Grant | str) -> None:
        """Keep a pair from `zalo authorize` (or a bare refresh token an officer got from
        Zalo's API Explorer): it replaces whatever was stored, problems too."""
        if isinstance(grant, str):  # no access token yet: the next call refreshes
            access, refresh, expires = None, grant, 0.0
        else:
            access, refresh = grant.access_token, grant.refresh_token
            expires = self._now() + grant.expires_in
        async with self._lock:
            await self._db.execute(
                "INSERT INTO zalo_oa_tokens"
                " (id, access_token, refresh_token, expires_at, spending, problem, updated_at)"
                " VALUES (1, ?, ?, ?, NULL, NULL, ?) ON CONFLICT (id) DO UPDATE SET"
                " access_token = excluded.access_token, refresh_token = excluded.refresh_token,"
                " expires_at = excluded.expires_at, spending = NULL, spending_since = NULL,"
                " problem = NULL, updated_at = excluded.updated_at",
                (access, refresh, expires, self._now()),
            )
            self._spending_here = None

    async def status(self) -> TokenStatus:
        row = await self._row()
        if row is None:
            return TokenStatus(False, None, "no token pair is stored")
        problem = row["problem"]
        if problem is None and row["spending"] is not None and self._spending_here is None:
            problem = (
                "a refresh was under way when the bot stopped (unless it is at this very"
                " moment: check again); the old refresh token is spent"
            )
        expires = float(row["expires_at"]) if row["access_token"] else None
        return TokenStatus(True, expires, problem)

    async def _refresh_unless(self, stale: str | None) -> str:
        """Refresh under the lock, unless the token changed while waiting for it."""
        async with self._lock:
            row = await self._row()
            if row is None:
                raise ReauthorisationNeeded(f"no Zalo OA token pair is stored; {REAUTHORISE}")
            if row["problem"] is not None:
                raise ReauthorisationNeeded(f"{row['problem']}; {REAUTHORISE}")
            if row["access_token"] != stale and self._fresh(row):
                return str(row["access_token"])  # refreshed by the caller we waited for
            spent = str(row["refresh_token"])
            if row["spending"] is not None and row["spending"] != self._spending_here:
                await self._give_up("a refresh token marked as being spent was found")
                raise ReauthorisationNeeded(REAUTHORISE)
            return await self._exchange(spent)

    async def _exchange(self, spent: str) -> str:
        """Mark `spent`, call Zalo, store the new pair; the lock is held."""
        await self._db.execute(
            "UPDATE zalo_oa_tokens SET spending = ?, spending_since = ? WHERE id = 1",
            (spent, self._now()),
        )
        self._spending_here = spent
        try:
            grant = await self._oauth.refresh(spent)
        except OAuthRefused as exc:
            await self._give_up(f"Zalo refused the refresh token ({exc})")
            raise ReauthorisationNeeded(f"{exc}; {REAUTHORISE}") from exc
        except httpx.ConnectError as exc:
            # Nothing reached Zalo: the token is not spent.
            await self._db.execute(
                "UPDATE zalo_oa_tokens SET spending = NULL, spending_since = NULL WHERE id = 1"
            )
            self._spending_here = None
            raise TokenUnavailable(f"Zalo's OAuth server is unreachable: {exc}") from exc
        except httpx.HTTPError as exc:
            # Sent, but no answer: Zalo may have rotated the pair. The marker
            # stays, so a crash now never re-sends it; this process may try once
            # more (refused if it was spent, which needs re-authorising anyway).
            raise TokenUnavailable(f"no answer from Zalo's OAuth server: {exc}") from exc
        await self._db.execute(
            "UPDATE zalo_oa_tokens SET access_token = ?, refresh_token = ?, expires_at = ?,"
            " spending = NULL, spending_since = NULL, updated_at = ? WHERE id = 1",
            (grant.access_token, grant.refresh_token, self._now() + grant.expires_in, self._now()),
        )
        self._spending_here = None
        log.info("Zalo OA: token pair refreshed, valid for %.0f hours", grant.expires_in / 3600)
        return grant.access_token

    async def _give_up(self, problem: str) -> None:
        await self._db.execute(
            "UPDATE zalo_oa_tokens SET problem = ?, updated_at = ? WHERE id = 1",
            (problem, self._now()),
        )
        self._spending_here = None
        log.error("Zalo OA: %s; %s", problem, REAUTHORISE)

    async def _row(self) -> Any:
        return await self._db.fetchone(
            "SELECT access_token, refresh_token, expires_at, spending, problem"
            " FROM zalo_oa_tokens WHERE id = 1"
        )

    def _fresh(self, row: Any) -> bool:
        return bool(row["access_token"]) and float(row["expires_at"]) - EARLY > self._now()

    def _now(self) -> float:
        return self._clock.now().timestamp()
