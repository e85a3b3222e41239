"""The sandbox's Zalo bot: its pending updates (one per getUpdates), webhook and photo links."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import deque

from sandbox.models import JSON

DEFAULT_ZALO_TOKEN = "1459232241454765289:SANDBOX_zalo_local_token"


def now_ms() -> int:
    return int(time.time() * 1000)


def zalo_id_of(user_id: int) -> str:
    """A user's Zalo id: 20 hex digits, as Zalo's look, the same on every run."""
    return hashlib.sha1(f"zalo-user-{user_id}".encode()).hexdigest()[:20]


class ZaloBot:
    """The sandbox's Zalo bot: its pending updates, webhook and photo links."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.me: JSON = {
            "id": token.split(":", 1)[0],
            "account_name": "bot.DanVanSandbox",
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        self.pending: deque[JSON] = deque()
        self.delivered = 0  # updates handed to the bot (polls and webhook calls)
        self.polls = 0  # getUpdates calls answered, empty ones included
        self.webhook: JSON = {"url": "", "updated_at": now_ms()}
        self.webhook_secret: str | None = None
        # Seconds a long poll may wait at most (None: as asked): 0 makes an
        # empty poll answer 408 at once, as a misbehaving server would.
        self.poll_wait_cap: float | None = None
        self.photo_ttl = 600.0  # seconds a photo_url works
        self.root = ""  # http://host:port/zalo, set when the server starts
        self.by_zalo: dict[str, int] = {}
        self._poller: asyncio.Future[None] | None = None
        self._changed: list[asyncio.Future[None]] = []

    def push(self, event: str, message: JSON) -> JSON:
        """Queue an update; a waiting poll or the webhook delivery takes it."""
        update = {"event_name": event, "message": message}
        self.pending.append(update)
        self._wake()
        return update

    def _wake(self) -> None:
        if self._poller is not None and not self._poller.done():
            self._poller.set_result(None)
        self._wake_watchers()

    async def next_update(self, wait: float) -> JSON | None:
        """The oldest pending update, waiting up to `wait` seconds for one."""
        if self.poll_wait_cap is not None:
            wait = min(wait, self.poll_wait_cap)
        if not self.pending and wait > 0:
            self._poller = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait({self._poller}, timeout=wait)
            finally:
                self._poller = None
        self.polls += 1
        self._wake_watchers()
        if not self.pending:
            return None
        self.delivered += 1
        return self.pending.popleft()

    def _wake_watchers(self) -> None:
        waiters, self._changed = self._changed, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def changed(self) -> asyncio.Future[None]:
        """A future resolved at the next update queued or poll answered (for tests)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._changed.append(waiter)
        return waiter

    def release(self) -> None:
        self._wake()
