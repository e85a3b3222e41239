"""A channel with a pace of its own (Zalo Bot, 5/s) beside Telegram in one broadcast.

The rule under test: a row waiting for its channel's pace is not claimed, so
it never holds an in-flight slot that another channel's rows need; the slow
channel keeps its own ceiling all the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import ZALO_BOT_SPEC, Recipient
from bot.messaging.delivery import Delivery
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import Channel
from bot.messaging.outbox import Lease, Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.people.citizens import CitizenRepository
from tests.storage.test_delivery import FakeChannel, settled, until

ZALO = ZALO_BOT_SPEC.name
# Few slots, so that rows waiting in them would show at once; Telegram unpaced.
POLICY = DeliveryPolicy(rate=None, per_chat_interval=0.0, in_flight=4, idle_poll=0.05)
Start = Callable[..., Delivery]
AUTHOR = Recipient("cli", "test")


@pytest.fixture
async def start(db: Database, clock: ManualClock) -> AsyncIterator[Start]:
    started: list[tuple[Delivery, asyncio.Task[None]]] = []

    def run(rates: dict[str, float], *channels: FakeChannel) -> Delivery:
        by_name: dict[str, Channel] = {c.name: c for c in channels}
        delivery = Delivery(Outbox(db, clock), Lease(db), by_name, POLICY, rates=rates)
        started.append((delivery, asyncio.create_task(delivery.run())))
        return delivery

    yield run
    for delivery, task in started:
        await delivery.stop()
        await asyncio.wait_for(task, 5)


async def queue(db: Database, clock: ManualClock, zalo: int, telegram: int) -> None:
    """One broadcast to Zalo Bot and Telegram citizens, the Zalo ones queued first, so
    that a sender claiming in queue order meets their rows first."""
    citizens = CitizenRepository(db, clock)
    for number in range(1, zalo + 1):
        await citizens.create(Recipient(ZALO, str(number)), "Dân", "vi", None)
    for number in range(1, telegram + 1):
        await citizens.create(Recipient.telegram(number), "Dân", "vi", None)
    broadcasts = Broadcasts(db, clock, Outbox(db, clock))
    draft = await broadcasts.start_draft(AUTHOR, None)
    message = OutgoingMessage("Lịch tiêm phòng cho trẻ")
    await broadcasts.update_draft(AUTHOR, draft.id, message=message, audience=Audience())
    await broadcasts.confirm(AUTHOR, draft.id)
    first = await db.fetchall("SELECT channel FROM outbox ORDER BY id LIMIT ?", (zalo,))
    assert {r[0] for r in first} == {ZALO}


async def by_state(db: Database, channel: str) -> dict[str, int]:
    rows = await db.fetchall(
        "SELECT state, COUNT(*) FROM outbox WHERE channel = ? GROUP BY state", (channel,)
    )
    return {r[0]: r[1] for r in rows}


async def test_rows_waiting_for_a_slow_channel_leave_the_in_flight_slots_to_telegram(
    db: Database, clock: ManualClock, start: Start
) -> None:
    # Zalo's next turn is 1,000 s after its first send: a row waiting for it
    # in a slot would hold that slot for the whole test, and four such rows
    # would stop every Telegram row behind them.
    zalo, telegram = FakeChannel(ZALO), FakeChannel()
    await queue(db, clock, zalo=20, telegram=40)
    start({ZALO: 0.001}, zalo, telegram)

    await until(lambda: len(telegram.sends) == 40, "every Telegram row sent")
    await settled(db, 41)
    assert [who for _, who in zalo.sends] == ["1"]  # its first, and nothing before its turn
    assert await by_state(db, ZALO) == {"sent": 1, "pending": 19}  # waiting in SQLite, unclaimed
    assert await by_state(db, "telegram") == {"sent": 40}


async def test_the_slow_channel_keeps_its_own_ceiling_in_every_second(
    db: Database, clock: ManualClock, start: Start
) -> None:
    zalo, telegram = FakeChannel(ZALO), FakeChannel()
    await queue(db, clock, zalo=12, telegram=30)
    start({ZALO: ZALO_BOT_SPEC.rate or 0}, zalo, telegram)

    await settled(db, 42)
    times = [t for t, _ in zalo.sends]
    busiest = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    assert busiest <= 5 and len(times) == 12  # Zalo Bot's rate, ChannelSpec.rate
    assert sorted(int(who) for _, who in zalo.sends) == list(range(1, 13))  # each once
    assert len(telegram.sends) == 30


async def test_rows_of_a_paced_channel_that_is_not_open_end_as_any_channel_s_would(
    db: Database, clock: ManualClock, start: Start
) -> None:
    telegram = FakeChannel()
    await queue(db, clock, zalo=2, telegram=3)
    start({ZALO: 5.0}, telegram)  # Zalo Bot is not configured in this process

    await settled(db, 5)  # not left pending for ever: a broadcast must be able to finish
    assert await by_state(db, ZALO) == {"failed": 2}
    assert await by_state(db, "telegram") == {"sent": 3}


async def test_rows_of_a_channel_still_opening_wait_for_it_then_go(
    db: Database, clock: ManualClock
) -> None:
    """A guest channel (Zalo beside Telegram) opens after the sender starts: its rows
    left from before a restart are not failed meanwhile, and go once it is open."""
    telegram, zalo = FakeChannel(), FakeChannel(name=ZALO)
    await queue(db, clock, zalo=2, telegram=3)
    channels: dict[str, Channel] = {telegram.name: telegram}
    delivery = Delivery(
        Outbox(db, clock), Lease(db), channels, POLICY, rates={ZALO: 5.0}, awaited={ZALO}
    )
    task = asyncio.create_task(delivery.run())
    try:
        # Zalo's rows come first in the queue: a claim that would fail them does so
        # no later than it sends Telegram's.
        await settled(db, 3)
        assert await by_state(db, "telegram") == {"sent": 3}
        assert await by_state(db, ZALO) == {"pending": 2}
        channels[ZALO] = zalo  # the guest application opened its channel
        delivery.wake()
        await settled(db, 5)
        assert await by_state(db, ZALO) == {"sent": 2}
    finally:
        await delivery.stop()
        await asyncio.wait_for(task, 5)
