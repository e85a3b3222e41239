"""The bot's pending updates: offsets, allowed_updates and long polling like Telegram."""

from __future__ import annotations

import asyncio
from collections import deque
from itertools import islice
from typing import Any

from sandbox.errors import ApiError

# Update types not delivered unless asked for explicitly (Telegram's default).
OPT_IN = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue:
    """Updates wait here until a getUpdates offset confirms them."""

    def __init__(self, first_update_id: int = 100_000_001) -> None:
        self.pending: deque[dict[str, Any]] = deque()
        self.next_id = first_update_id
        self.allowed: frozenset[str] | None = None
        self.total = 0
        self._poller: asyncio.Future[str] | None = None

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of `kind` (dropped if allowed_updates excludes it)."""
        if self.allowed is not None and kind not in self.allowed:
            return None
        if self.allowed is None and kind in OPT_IN:
            return None
        update = {"update_id": self.next_id, kind: payload}
        self.next_id += 1
        self.total += 1
        self.pending.append(update)
        if self._poller is not None and not self._poller.done():
            self._poller.set_result("update")
        return update

    def set_allowed(self, allowed: list[str] | None) -> None:
        """Apply allowed_updates (None keeps the previous setting; [] means default)."""
        if allowed is None:
            return
        self.allowed = frozenset(allowed) if allowed else None

    def confirm(self, offset: int | None) -> None:
        """Forget updates before `offset`; a negative offset keeps only the last -offset."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            while len(self.pending) > -offset:
                self.pending.popleft()
            return
        while self.pending and self.pending[0]["update_id"] < offset:
            self.pending.popleft()

    def peek(self, limit: int) -> list[dict[str, Any]]:
        """Up to `limit` unconfirmed updates, oldest first."""
        return list(islice(self.pending, limit))

    async def get(
        self,
        offset: int | None,
        limit: int,
        wait: float,
        poller: asyncio.Future[str] | None = None,
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm, answer now or on the next update (a newer poll gets 409 the old)."""
        self.confirm(offset)
        previous = self._poller
        if previous is not None and not previous.done():
            previous.set_result("conflict")
        if self.pending or wait <= 0:
            return self.peek(limit)
        if poller is None:
            poller = asyncio.get_running_loop().create_future()
        self._poller = poller
        try:
            await asyncio.wait({poller}, timeout=wait)
        finally:
            if self._poller is poller:
                self._poller = None
        if poller.done() and poller.result() == "conflict":
            raise ApiError(409, CONFLICT)
        return self.peek(limit)

    def release(self) -> None:
        """End a waiting long poll (server stopping)."""
        if self._poller is not None and not self._poller.done():
            self._poller.set_result("closed")
        self._poller = None
