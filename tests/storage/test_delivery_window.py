"""The outbox sender and a channel with a messaging window (a test double of a Zalo OA).

The rule under test is the outbox's, not a platform's: a row to someone not
heard from within the window is not sent, ends `outside`, is never retried,
does not keep a broadcast open; a notification waits for the person's next
message and goes then, after a line saying how many answers waited.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import TELEGRAM, ChannelSpec, Recipient, windows_of
from bot.messaging.delivery import Delivery, Progress
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.notify import Channel, DeliveryError, Verdict
from bot.messaging.outbox import Counts, Lease, Outbox, Outcome
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role
from tests.storage.test_delivery import FAST, FakeChannel, settled, until

OA_LIKE = ChannelSpec(
    "oa_like", can_edit=False, inline_buttons=True, text_limit=2000, window=timedelta(hours=48)
)
AUTHOR = Recipient("cli", "test")
Start = Callable[..., Delivery]


def on_oa(number: int) -> Recipient:
    return Recipient(OA_LIKE.name, str(number))


@pytest.fixture
def outbox(db: Database, clock: ManualClock) -> Outbox:
    return Outbox(db, clock, windows_of((OA_LIKE,)))


@pytest.fixture
async def start(outbox: Outbox, db: Database) -> AsyncIterator[Start]:
    """Start a sender over the given channels; stopped at the end of the test."""
    started: list[tuple[Delivery, asyncio.Task[None]]] = []

    def run(*channels: FakeChannel, on: Outbox | None = None) -> Delivery:
        by_name: dict[str, Channel] = {c.name: c for c in channels}
        delivery = Delivery(on or outbox, Lease(db), by_name, FAST)
        started.append((delivery, asyncio.create_task(delivery.run())))
        return delivery

    yield run
    for delivery, task in started:
        await delivery.stop()
        await asyncio.wait_for(task, 5)


async def heard_at_staggered_times(outbox: Outbox, clock: ManualClock) -> None:
    """oa 2 wrote 49 hours ago, oa 1 an hour ago, oa 3 never."""
    await outbox.heard(on_oa(2))
    clock.advance(timedelta(hours=48))
    await outbox.heard(on_oa(1))
    await outbox.heard(Recipient.telegram(4))  # no window on Telegram: nothing kept
    clock.advance(timedelta(hours=1))


async def test_a_broadcast_whose_only_leftovers_are_outside_the_window_is_finished(
    db: Database, clock: ManualClock, outbox: Outbox, start: Start
) -> None:
    citizens = CitizenRepository(db, clock)
    for who in (on_oa(1), on_oa(2), on_oa(3), Recipient.telegram(4)):
        await citizens.create(who, "Dân", "vi", None)
    await heard_at_staggered_times(outbox, clock)
    assert await db.scalar("SELECT COUNT(*) FROM last_heard") == 2
    broadcasts = Broadcasts(db, clock, outbox)
    draft = await broadcasts.start_draft(AUTHOR, None)
    await broadcasts.update_draft(
        AUTHOR, draft.id, message=OutgoingMessage("Lịch tiêm phòng"), audience=Audience()
    )
    # The preview's figures: 4 in the audience, the 2 the sender will find outside.
    assert await broadcasts.count(Audience()) == 4 and await broadcasts.outside(Audience()) == 2
    await broadcasts.confirm(AUTHOR, draft.id)

    oa, telegram = FakeChannel(name=OA_LIKE.name), FakeChannel(name=TELEGRAM)
    delivery = start(oa, telegram)
    finished: list[Progress] = []

    async def listen(progress: Progress) -> None:
        await broadcasts.on_progress(progress)
        if progress.finished:
            finished.append(progress)

    delivery.listeners.append(listen)
    await until(lambda: bool(finished), "the broadcast to finish")

    assert finished[0].counts == Counts(sent=2, outside=2)
    assert [who for _, who in oa.sends] == ["1"] and [who for _, who in telegram.sends] == ["4"]
    done = await broadcasts.get(draft.id)
    assert done is not None and done.state == "done"
    rows = await db.fetchall("SELECT external_id, state, attempts FROM outbox ORDER BY id")
    assert {r[0]: (r[1], r[2]) for r in rows if r[1] == "outside"} == {
        "2": ("outside", 0),
        "3": ("outside", 0),
    }
    assert delivery.stats.outside == 2 and delivery.stats.failed == 0
    assert await outbox.outside_now(on_oa(2)) and not await outbox.outside_now(on_oa(1))
    assert await broadcasts.release_due() == []  # nothing left to close or send


async def test_the_platforms_window_refusal_is_outside_and_never_retried(
    db: Database, outbox: Outbox, start: Start
) -> None:
    await outbox.heard(on_oa(1))  # inside by our count; the platform knows better
    refusal = DeliveryError("-230: user has not interacted in 7 days", Verdict.OUTSIDE_WINDOW)
    oa = FakeChannel(name=OA_LIKE.name, script={"1": [refusal, refusal]})
    await outbox.enqueue(on_oa(1), OutgoingMessage("Trả lời"))
    start(oa)
    await settled(db, 1)
    row = await db.fetchone("SELECT state, attempts, error FROM outbox")
    assert row is not None and (row[0], row[1]) == ("outside", 1)
    assert "-230" in row[2]
    assert len(oa.sends) == 1  # tried once: no retry as a failure


async def test_a_held_notification_goes_when_the_person_writes_even_after_a_restart(
    db: Database, clock: ManualClock, outbox: Outbox, start: Start
) -> None:
    await CitizenRepository(db, clock).create(on_oa(2), "Lan", "vi", None)
    await heard_at_staggered_times(outbox, clock)
    answer = OutgoingMessage("Trả lời về phản ánh PA-7KX4M")
    photo = OutgoingMessage("Ảnh kèm theo", attachment=Attachment("photo", "file:ab", None))
    for message in (answer, photo):
        await outbox.enqueue(on_oa(2), message)
    first = start(FakeChannel(name=OA_LIKE.name))
    await settled(db, 2)
    assert await outbox.held(on_oa(2)) == 2
    assert await outbox.wake(on_oa(1)) == 0  # someone else writing wakes nothing
    await first.stop()

    # A restart: a new outbox and sender over the same database lose nothing.
    again = Outbox(db, clock, windows_of((OA_LIKE,)))
    oa = FakeChannel(name=OA_LIKE.name)
    start(oa, on=again)
    await again.heard(on_oa(2))  # Lan writes: the window is open again
    assert await again.wake(on_oa(2)) == 3
    await until(lambda: len(oa.texts) == 3, "the notice and the two held messages")
    assert oa.texts == [
        "Bạn có 1 câu trả lời đang chờ:",
        "Trả lời về phản ánh PA-7KX4M",
        "Ảnh kèm theo",
    ]
    await settled(db, 3)
    assert await again.held(on_oa(2)) == 0
    states = await db.fetchall("SELECT state FROM outbox")
    assert {r[0] for r in states} == {"sent"}
    assert await again.wake(on_oa(2)) == 0  # delivered once, not again


async def test_no_window_no_holding_back(db: Database, clock: ManualClock, start: Start) -> None:
    plain = Outbox(db, clock)  # Telegram's outbox: no channel has a window
    await plain.heard(on_oa(9))
    assert await db.scalar("SELECT COUNT(*) FROM last_heard") == 0
    await plain.enqueue(on_oa(9), OutgoingMessage("tin"))
    oa = FakeChannel(name=OA_LIKE.name)
    start(oa, on=plain)
    await settled(db, 1)
    assert oa.texts == ["tin"] and not await plain.outside_now(on_oa(9))


async def test_a_notification_judged_outside_as_its_person_writes_goes_after_all(
    db: Database, clock: ManualClock, outbox: Outbox
) -> None:
    """Claimed as outside, then the person writes before the outcome is stored:
    their wake found it in flight, so the record puts it back in the queue."""
    await outbox.enqueue(on_oa(5), OutgoingMessage("Trả lời"))
    (row,) = await outbox.claim(10)
    assert row.outside
    await outbox.heard(on_oa(5))
    assert await outbox.wake(on_oa(5)) == 0  # in flight: nothing held yet
    await outbox.record([Outcome(row, "outside", 0, "outside")])
    assert await db.scalar("SELECT state FROM outbox") == "pending"
    (again,) = await outbox.claim(10)
    assert not again.outside


async def test_a_chatty_person_is_noted_once_a_minute(
    db: Database, clock: ManualClock, outbox: Outbox
) -> None:
    async def noted() -> float:
        return float(await db.scalar("SELECT at FROM last_heard"))

    await outbox.heard(on_oa(6))
    first = await noted()
    clock.advance(timedelta(seconds=59))
    await outbox.heard(on_oa(6))
    assert await noted() == first  # no write, no fsync, for each of their messages
    clock.advance(timedelta(seconds=2))
    await outbox.heard(on_oa(6))
    assert await noted() == first + 61


async def test_an_officer_on_a_windowed_channel_is_told_of_messages_not_answers(
    db: Database, clock: ManualClock, outbox: Outbox, start: Start
) -> None:
    await OfficerRepository(db, clock).add(on_oa(7), "Chị Hoa", {Role.OFFICE})
    await outbox.enqueue(on_oa(7), OutgoingMessage("Hồ sơ mới PA-7KX4M"))
    oa = FakeChannel(name=OA_LIKE.name)
    start(oa)
    await settled(db, 1)
    assert oa.texts == [] and await outbox.held(on_oa(7)) == 1
    await outbox.heard(on_oa(7))
    await outbox.wake(on_oa(7))
    await until(lambda: len(oa.texts) == 2, "the notice and the held message")
    assert oa.texts == ["Bạn có 1 tin nhắn đang chờ:", "Hồ sơ mới PA-7KX4M"]
