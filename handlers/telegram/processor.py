"""Process updates from different chats at once, and each chat's own updates one by one, in order.

PTB processes one update at a time unless told otherwise, so one slow chat
(a flood wait, 40 commands in a group at 20 replies a minute) held up every
citizen behind it. With `ChatLanes`, each chat has a lane: an update waits
only for the earlier updates of its own chat. A chat's conversation still
sees its messages in the order they were sent, while a chat waiting out
Telegram's flood limit delays no other.

At most RUNNING updates run at once. When every slot is taken, the next one
freed goes to the chat with the fewest updates served in a row: a citizen's
first message before the fortieth of a chat that floods. An update that only
waits (a flood wait, see `stepped_aside`) lends its slot meanwhile.

```mermaid
flowchart LR
    U[update] --> L{an earlier update of its chat not done?}
    L -->|yes| W[wait, in arrival order] --> S
    L -->|no| S{a slot free?}
    S -->|yes| R[handlers run]
    S -->|no| Q[queue: chats served least first] --> R
    R -->|flood wait| A[slot lent to others until the wait ends] --> Q
    R --> D[lane dropped once its chat has no update left]
```
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import sys
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates running at once, all chats together. Telegram takes 30 messages a
# second from a bot and answers a call in ~0.1-0.3 s, so ~16 updates at work
# use that whole budget (Little's law); more would only share the CPU and the
# database among more chats and slow every reply.
RUNNING = 16


class _Slots:
    """Running slots; when none is free, the next goes to the lowest rank, then the earliest."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def take(self, rank: int) -> None:
        if self._free and not self._waiting:
            self._free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._arrivals), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give()  # handed over just as the wait was cancelled: pass it on
            raise

    def give(self) -> None:
        while self._waiting:
            turn = heapq.heappop(self._waiting)[2]
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1


@dataclass
class _Held:
    """The slot an update's task runs in, so that it can be lent during a wait."""

    slots: _Slots
    rank: int
    task: asyncio.Task[Any] | None
    holding: bool = True


_HELD: ContextVar[_Held | None] = ContextVar("chat_lanes_held", default=None)


def current_rank() -> int:
    """The rank of the update the running task serves (0, the first, outside ChatLanes).

    What the update then waits for in turn with other chats (the bot's overall
    send pace, `flood.py`) serves the lowest rank first too.
    """
    held = _HELD.get()
    return 0 if held is None else held.rank


@asynccontextmanager
async def stepped_aside() -> AsyncIterator[None]:
    """Lend the running update's slot to other chats while it only waits (a flood wait).

    Outside an update run by ChatLanes, and in tasks an update starts, nothing is lent.
    """
    held = _HELD.get()
    if held is None or not held.holding or held.task is not asyncio.current_task():
        yield
        return
    held.holding = False
    held.slots.give()
    try:
        yield
    finally:
        await held.slots.take(held.rank)
        held.holding = True


@dataclass
class _Lane:
    """One chat's turn-taking: the lock its updates take in arrival order, and its counts."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    updates: int = 0
    served: int = 0  # updates run since the lane was made: its rank for a slot


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

    __slots__ = ("_lanes", "_slots")

    def __init__(self, running: int = RUNNING) -> None:
        super().__init__(max_concurrent_updates=sys.maxsize)
        if running < 1:
            raise ValueError("running must be at least 1")
        self._slots = _Slots(running)
        self._lanes: dict[Hashable, _Lane] = {}

    @property
    def lanes(self) -> int:
        """How many chats have updates running or waiting."""
        return len(self._lanes)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run `coroutine` once the earlier updates of its chat are done and a slot is free."""
        key = chat_key(update)
        if key is None:
            await self._run(coroutine, rank=0)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        lane.updates += 1
        try:
            # asyncio.Lock wakes its waiters first in, first out, and nothing
            # above awaits: updates take the lock in the order they arrived.
            async with lane.lock:
                lane.served += 1
                await self._run(coroutine, rank=lane.served - 1)
        finally:
            lane.updates -= 1
            if lane.updates == 0:
                del self._lanes[key]

    async def _run(self, coroutine: Awaitable[Any], rank: int) -> None:
        await self._slots.take(rank)
        held = _Held(self._slots, rank, asyncio.current_task())
        token = _HELD.set(held)
        try:
            await coroutine
        finally:
            _HELD.reset(token)
            if held.holding:
                self._slots.give()

    async def initialize(self) -> None:
        """Nothing to open: lanes are made as chats send updates."""

    async def shutdown(self) -> None:
        """Nothing to close: the application waits for running updates before this."""
