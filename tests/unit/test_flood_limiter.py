"""FloodLimiter: a 429 holds back the refused chat only, which is retried after its wait."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from handlers.telegram.flood import FloodLimiter
from handlers.telegram.processor import ChatLanes
from tests.unit.test_chat_lanes import message

WAIT = timedelta(milliseconds=50)
Send = Callable[[], Coroutine[Any, Any, Any]]


class Api:
    """A fake Bot API: refuses the next sends to some chats with a 429, records the rest."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.refuse: dict[object, int] = {}
        self.refused = asyncio.Event()

    def send(self, chat: object) -> Send:
        async def call() -> dict[str, Any]:
            if self.refuse.get(chat, 0) > 0:
                self.refuse[chat] -= 1
                self.events.append(f"{chat} refused")
                self.refused.set()
                raise RetryAfter(WAIT)
            self.events.append(f"{chat} sent")
            return {"ok": True}

        return call


async def request(
    limiter: FloodLimiter, send: Send, chat: object, retries: int | None = None
) -> Any:
    data = {"chat_id": chat} if chat is not None else {}
    return await limiter.process_request(send, (), {}, "sendMessage", data, retries)


async def test_a_refused_chat_waits_while_other_chats_are_served() -> None:
    limiter, api = FloodLimiter(), Api()
    api.refuse[10] = 1
    first = asyncio.create_task(request(limiter, api.send(10), 10))
    await api.refused.wait()
    # Chat 10 is in its flood wait: its next message waits too, chat 20's does not.
    second = asyncio.create_task(request(limiter, api.send(10), 10))
    await request(limiter, api.send(20), 20)
    assert api.events == ["10 refused", "20 sent"]
    assert await first == {"ok": True} and await second == {"ok": True}
    assert api.events[2:] == ["10 sent", "10 sent"]


async def test_chat_ids_given_as_text_or_number_are_one_chat() -> None:
    limiter, api = FloodLimiter(), Api()
    api.refuse["10"] = 1
    first = asyncio.create_task(request(limiter, api.send("10"), "10"))
    await api.refused.wait()
    later = asyncio.create_task(request(limiter, api.send(10), 10))
    await request(limiter, api.send(-100), -100)  # a group is not held either
    await asyncio.gather(first, later)
    assert api.events == ["10 refused", "-100 sent", "10 sent", "10 sent"]


async def test_a_429_after_the_last_retry_reaches_the_caller() -> None:
    limiter, api = FloodLimiter(max_retries=2), Api()
    api.refuse[10] = 3
    with pytest.raises(RetryAfter):
        await request(limiter, api.send(10), 10)
    assert api.events == ["10 refused"] * 3
    api.refuse[10] = 1
    with pytest.raises(RetryAfter):
        await request(limiter, api.send(10), 10, retries=0)  # a request may ask for no retry


async def test_a_request_to_no_chat_waits_alone() -> None:
    limiter, api = FloodLimiter(), Api()
    api.refuse[None] = 1
    first = asyncio.create_task(request(limiter, api.send(None), None))
    await api.refused.wait()
    await request(limiter, api.send(10), 10)
    await first
    assert api.events == ["None refused", "10 sent", "None sent"]


async def test_a_chats_first_reply_goes_before_the_backlog_of_busier_chats() -> None:
    """The overall pace serves the lowest rank first, as ChatLanes' slots do."""
    limiter, lanes, api = FloodLimiter(), ChatLanes(), Api()
    seventh = asyncio.Event()

    def update(update_id: int, chat: int) -> Awaitable[None]:
        async def handle() -> None:
            await request(limiter, api.send(chat), chat)
            if len(api.events) == 7:
                seventh.set()

        return lanes.process_update(message(update_id, chat), handle())

    # Six chats with three updates each: 18 sends at ~29 a second.
    busy = [update(10 * chat + n, chat) for chat in range(1, 7) for n in range(3)]
    backlog = asyncio.gather(*busy)
    await asyncio.wait_for(seventh.wait(), 10)
    # Each busy chat now has one update waiting for the pace, all served before.
    await asyncio.wait_for(update(999, 99), 10)
    await asyncio.wait_for(backlog, 10)
    assert api.events.index("99 sent") == 7  # next, not after the six waiting
