"""Telegram's flood limits for the bot's replies: a 429 holds back only the chat it was about.

PTB's AIORateLimiter answers a 429 ("retry after N seconds") by halting
every request of the bot for N seconds, though the limits a reply runs into
are per chat (about one message a second in a private chat, 20 a minute in
a group): one citizen typing fast stalled the replies to everyone.
`FloodLimiter` keeps AIORateLimiter's pacing (just under 30 messages a
second overall, here evenly spaced; 20 a minute per group) and its retries,
but a chat's flood wait delays only the requests to that chat; with
`ChatLanes`, only that chat's updates, which lend their running slot to
other chats while they wait. The overall pace serves the waiting requests
as `ChatLanes` serves its slots, the lowest rank first: a citizen's first
reply is not sent after the twentieth of every chat that floods.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable, Coroutine
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from handlers.telegram.processor import current_rank, stepped_aside

log = logging.getLogger(__name__)
Result = bool | dict[str, Any] | list[dict[str, Any]]
Chat = int | str  # a chat id, or a channel's @username
MARGIN = 0.1  # seconds past Telegram's retry_after, as AIORateLimiter waits
OVERALL_SHARE = 0.97  # of Telegram's 30/s: network jitter must not put 31 in its second
KEPT = 512  # idle paces and expired holds are dropped past this many


class _Pace:
    """One request every `interval` seconds; waiting ones go lowest rank first, then in order.

    aiolimiter's bucket lets a newcomer that finds capacity pass the waiting
    ones, and serves those in arrival order whatever their chat's backlog.
    """

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._next = 0.0  # loop time from which the next request may go
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    async def acquire(self, rank: int) -> None:
        loop = asyncio.get_running_loop()
        if not self._waiting and loop.time() >= self._next:
            self._next = loop.time() + self._interval
            return
        turn = loop.create_future()
        heapq.heappush(self._waiting, (rank, next(self._arrivals), turn))
        self._wake_later(loop)
        await turn  # cancelled: its entry is skipped when its turn comes

    def _wake_later(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None:
            self._timer = loop.call_at(self._next, self._wake, loop)

    def _wake(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        while self._waiting:
            turn = heapq.heappop(self._waiting)[2]
            if not turn.done():
                turn.set_result(None)
                self._next = loop.time() + self._interval
                break
        if self._waiting:
            self._wake_later(loop)


class FloodLimiter(BaseRateLimiter[int]):
    """Paces the bot's requests and retries a 429, holding back only the refused chat.

    Groups are paced at 20 messages a minute from the start. A private chat
    may take a short burst, so it is paced (one message a second) only once
    Telegram has refused it: its later messages then wait their turn instead
    of spending the bot's 30 a second on requests bound to be refused.
    `rate_limit_args` of a request, if given, is its number of retries.
    """

    def __init__(self, max_retries: int = 2) -> None:
        self._max_retries = max_retries
        # One message every 1/29 s, no bursts: a burst of 30 on top of the steady
        # rate puts up to 60 in one second, and Telegram's 429 for that lands on
        # whichever chat came next, which then waits and is paced for nothing.
        self._overall = _Pace(1 / (FloodLimit.MESSAGES_PER_SECOND * OVERALL_SHARE))
        self._paces: dict[Chat, AsyncLimiter] = {}
        self._holds: dict[Chat, float] = {}  # chat -> loop time its flood wait ends

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send once the chat's flood wait is over, within the pace; retry a 429 after its wait."""
        chat = _chat_of(data.get("chat_id"))
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            await self._wait_turn(chat)
            try:
                # Like AIORateLimiter: only requests to a chat count towards 30/s.
                if chat is not None:
                    await self._overall.acquire(current_rank())
                return await callback(*args, **kwargs)
            except RetryAfter as refused:
                if attempt >= retries:
                    raise
                attempt += 1
                wait = _seconds(refused) + MARGIN
                log.info("%s refused by flood control: retry %d in %.1f s", endpoint, attempt, wait)
                if chat is None:
                    async with stepped_aside():  # tied to no chat: only this request waits
                        await asyncio.sleep(wait)
                else:
                    self._hold(chat, wait)

    async def _wait_turn(self, chat: Chat | None) -> None:
        """Wait out the chat's flood wait and its pace; the update's slot is lent meanwhile."""
        if chat is None:
            return
        loop = asyncio.get_running_loop()
        pace = self._pace(chat)
        waits = self._holds.get(chat, 0.0) > loop.time() or not (
            pace is None or pace.has_capacity()
        )
        async with stepped_aside() if waits else nullcontext():
            # A loop, not one sleep: another 429 for the chat may push its end later.
            while (left := self._holds.get(chat, 0.0) - loop.time()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(left)
            self._holds.pop(chat, None)
            if pace is not None:
                await pace.acquire()

    def _hold(self, chat: Chat, seconds: float) -> None:
        """Hold `chat` back for `seconds`, and pace it from now on if it is a private chat."""
        now = asyncio.get_running_loop().time()
        if len(self._holds) >= KEPT:
            self._holds = {c: end for c, end in self._holds.items() if end > now}
        self._holds[chat] = max(self._holds.get(chat, 0.0), now + seconds)
        if chat not in self._paces:
            # A little slower than the limit: jitter on the way must not bring one in early.
            self._new_pace(chat, FloodLimit.MESSAGES_PER_SECOND_PER_CHAT, 1 + MARGIN)

    def _pace(self, chat: Chat) -> AsyncLimiter | None:
        pace = self._paces.get(chat)
        if pace is None and _is_group(chat):
            pace = self._new_pace(chat, FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP, 60)
        return pace

    def _new_pace(self, chat: Chat, rate: float, period: float) -> AsyncLimiter:
        if len(self._paces) >= KEPT:
            # A pace with all its capacity back has nothing to remember.
            self._paces = {c: p for c, p in self._paces.items() if not p.has_capacity(p.max_rate)}
        pace = self._paces[chat] = AsyncLimiter(rate, period)
        return pace


def _chat_of(chat_id: object) -> Chat | None:
    """A request's chat as one key: ids as numbers, whether PTB was given "123" or 123."""
    if chat_id is None or isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    try:
        return int(text)
    except ValueError:
        return text  # "@channelname"


def _is_group(chat: Chat) -> bool:
    """Groups and channels have negative ids or @usernames; private chats positive ids."""
    return isinstance(chat, str) or (isinstance(chat, int) and chat < 0)


def _seconds(refused: RetryAfter) -> float:
    wait = refused.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
