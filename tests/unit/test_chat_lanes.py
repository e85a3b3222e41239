"""ChatLanes: each chat's updates one by one in arrival order, chats side by side, a cap on running."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User

from handlers.telegram.processor import ChatLanes, chat_key, stepped_aside

WHEN = datetime(2026, 3, 2, tzinfo=UTC)


def message(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.GROUP)
    return Update(
        update_id, message=Message(update_id, WHEN, chat, from_user=User(7, "Lan", False))
    )


async def reached(waited: asyncio.Event | Awaitable[Any]) -> None:
    """Wait for a definite event; a regression fails here instead of hanging the suite."""
    await asyncio.wait_for(waited.wait() if isinstance(waited, asyncio.Event) else waited, 10)


class Recorder:
    """Update handlers that note when they start and finish, and wait to be released."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.started: dict[str, asyncio.Event] = {}

    def handler(self, name: str, *, held: bool = False) -> Coroutine[None, None, None]:
        self.started[name] = asyncio.Event()
        gate = self.gates[name] = asyncio.Event()
        if not held:
            gate.set()

        async def run() -> None:
            self.events.append(f"{name} start")
            self.started[name].set()
            await gate.wait()
            self.events.append(f"{name} end")

        return run()


async def test_a_chats_updates_run_one_by_one_in_arrival_order() -> None:
    lanes, seen = ChatLanes(), Recorder()
    first = asyncio.create_task(lanes.process_update(message(1, 10), seen.handler("a1", held=True)))
    later = [
        asyncio.create_task(lanes.process_update(message(n, 10), seen.handler(f"a{n}")))
        for n in range(2, 6)
    ]
    await reached(seen.started["a1"])
    other = asyncio.create_task(lanes.process_update(message(9, 20), seen.handler("b")))
    await reached(other)  # another chat is served while chat 10 is busy
    assert seen.events == ["a1 start", "b start", "b end"]
    seen.gates["a1"].set()
    await reached(asyncio.gather(first, *later))
    assert seen.events[3:] == [f"a{n} {step}" for n in range(1, 6) for step in ("start", "end")][1:]
    assert lanes.lanes == 0  # idle lanes are dropped


async def test_at_most_running_updates_run_and_waiting_ones_take_no_slot() -> None:
    lanes, seen = ChatLanes(running=2), Recorder()
    busy = [
        asyncio.create_task(lanes.process_update(message(n, 10), seen.handler(f"a{n}", held=True)))
        for n in range(1, 40)
    ]  # chat 10 has 39 updates: one runs, 38 wait for it
    await reached(seen.started["a1"])
    second = asyncio.create_task(
        lanes.process_update(message(50, 20), seen.handler("b", held=True))
    )
    await reached(seen.started["b"])  # a slot was left for chat 20 despite chat 10's backlog
    third = asyncio.create_task(lanes.process_update(message(60, 30), seen.handler("c")))
    seen.gates["b"].set()
    await reached(asyncio.gather(second, third))
    assert seen.events == ["a1 start", "b start", "b end", "c start", "c end"]
    for gate in seen.gates.values():
        gate.set()
    await reached(asyncio.gather(*busy))
    assert lanes.lanes == 0


@pytest.mark.parametrize(
    ("update", "key"),
    [
        (message(1, 10), ("chat", 10)),
        (message(1, -100123), ("chat", -100123)),
        (
            Update(
                2,
                callback_query=CallbackQuery(
                    "q", User(7, "Lan", False), "c", data="x", inline_message_id="i"
                ),
            ),
            ("user", 7),
        ),  # a press on an inline-mode message: no chat, the user
        (Update(3), None),
        ("not an update", None),
    ],
)
def test_the_lane_of_an_update(update: object, key: object) -> None:
    assert chat_key(update) == key


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ChatLanes(running=0)


async def test_a_free_slot_goes_to_the_chat_served_least() -> None:
    lanes, seen = ChatLanes(running=1), Recorder()

    def send(update_id: int, chat_id: int, name: str, held: bool = False) -> asyncio.Task[None]:
        handler = seen.handler(name, held=held)
        return asyncio.create_task(lanes.process_update(message(update_id, chat_id), handler))

    tasks = [send(1, 10, "a1", held=True)]
    await reached(seen.started["a1"])
    tasks += [send(2, 10, "a2"), send(3, 30, "c", held=True)]
    seen.gates["a1"].set()
    await reached(seen.started["c"])  # chat 10's second update now waits for the slot
    tasks.append(send(4, 20, "b"))
    seen.gates["c"].set()
    await reached(asyncio.gather(*tasks))
    # Chat 20's first update goes before chat 10's second, though it came later.
    order = [event.split()[0] for event in seen.events if event.endswith("start")]
    assert order == ["a1", "c", "b", "a2"]


async def test_an_update_in_a_flood_wait_lends_its_slot() -> None:
    lanes, seen = ChatLanes(running=1), Recorder()
    wait_over = asyncio.Event()

    async def waits_for_telegram() -> None:
        seen.events.append("a start")
        async with stepped_aside():
            seen.events.append("a waits")
            await wait_over.wait()
        seen.events.append("a end")

    first = asyncio.create_task(lanes.process_update(message(1, 10), waits_for_telegram()))
    other = asyncio.create_task(lanes.process_update(message(2, 20), seen.handler("b")))
    await reached(other)
    wait_over.set()
    await reached(first)
    assert seen.events == ["a start", "a waits", "b start", "b end", "a end"]


async def test_a_task_an_update_starts_lends_nothing() -> None:
    lanes, seen = ChatLanes(running=1), Recorder()

    async def starts_a_task() -> None:
        async def aside() -> None:
            async with stepped_aside():
                seen.events.append("child aside")

        await asyncio.create_task(aside())
        seen.events.append("a end")

    first = asyncio.create_task(lanes.process_update(message(1, 10), starts_a_task()))
    other = asyncio.create_task(lanes.process_update(message(2, 20), seen.handler("b")))
    await reached(asyncio.gather(first, other))
    assert seen.events == ["child aside", "a end", "b start", "b end"]


async def test_stepping_aside_outside_an_update_does_nothing() -> None:
    async with stepped_aside():
        pass
