"""Process updates from different chats at once, and each chat's own updates one by one, in order.

PTB processes one update at a time unless told otherwise, so one slow chat
(a flood wait, 40 commands in a group at 20 replies a minute) held up every
citizen behind it. With `ChatLanes`, each chat has a lane: an update waits
only for the updates of its own chat that came before it. A chat's
conversation therefore still sees its messages in the order they were sent,
while a chat waiting out Telegram's flood limit delays no other.

```mermaid
flowchart LR
    U[update] --> K{its chat's lane}
    K -->|earlier update of the chat running| W[wait in arrival order]
    K -->|lane free| S{running < cap?}
    W --> S
    S -->|yes| R[handlers run]
    S -->|no| Q[wait for a slot] --> R
    R --> D[lane dropped once no update of the chat is left]
```
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

RUNNING = 256  # updates whose handlers run at once, all chats together


@dataclass
class _Lane:
    """One chat's turn-taking: the lock its updates take in arrival order, and how many hold or await it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    updates: int = 0


def chat_key(update: object) -> Hashable | None:
    """The chat whose order an update belongs to; None for updates tied to no chat or user."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    # Inline queries and presses on inline-mode messages carry a user but no chat.
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class ChatLanes(BaseUpdateProcessor):
    """Serialises updates per chat; at most `running` updates run at once across chats.

    The base class counts an update from the moment it arrives, before we
    know its chat: with its cap, the updates a flooding chat has waiting
    would fill every slot and stall all other chats. So the base class gets
    no cap, and `running` counts only updates whose turn has come. What
    waits costs a task each: the same as PTB's own queue of received updates.
    Lanes live only while their chat has updates, so memory follows the
    backlog, not the number of chats ever seen.
    """

    __slots__ = ("_lanes", "_running")

    def __init__(self, running: int = RUNNING) -> None:
        super().__init__(max_concurrent_updates=sys.maxsize)
        if running < 1:
            raise ValueError("running must be at least 1")
        self._running = asyncio.BoundedSemaphore(running)
        self._lanes: dict[Hashable, _Lane] = {}

    @property
    def lanes(self) -> int:
        """How many chats have updates running or waiting."""
        return len(self._lanes)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` once the earlier updates of its chat are done and a slot is free."""
        key = chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        lane.updates += 1
        try:
            # asyncio.Lock wakes its waiters first in, first out, and nothing
            # above awaits: updates take the lock in the order they arrived.
            async with lane.lock, self._running:
                await coroutine
        finally:
            lane.updates -= 1
            if lane.updates == 0:
                del self._lanes[key]

    async def initialize(self) -> None:
        """Nothing to open: lanes are made as chats send updates."""

    async def shutdown(self) -> None:
        """Nothing to close: the application waits for running updates before this."""
