"""The outbox sender against a fake channel: pace, spacing, retries, blocks, bounds, restarts."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.delivery import Delivery, Progress
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import DeliveryError
from bot.messaging.outbox import Lease, Outbox
from bot.people.citizens import CitizenRepository


@dataclass
class FakeChannel:
    """Records each send; `script[recipient id]` lists errors to raise before succeeding."""

    name: str = "telegram"
    sends: list[tuple[float, str]] = field(default_factory=list)
    script: dict[str, list[DeliveryError]] = field(default_factory=dict)
    gate: asyncio.Event | None = None  # when set, sends wait for it
    waiting: int = 0  # sends held at the gate

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        if self.gate is not None:
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        self.sends.append((time.monotonic(), recipient.external_id))
        errors = self.script.get(recipient.external_id)
        if errors:
            raise errors.pop(0)
        return str(len(self.sends))


FAST = DeliveryPolicy(
    rate=None, per_chat_interval=0.0, backoff=0.01, progress_every=0.05, idle_poll=0.05
)
Run = Callable[..., Delivery]


@pytest.fixture
async def sender(db: Database, clock: ManualClock) -> AsyncIterator[Run]:
    """Start a sender on demand; it is stopped at the end of the test."""
    started: list[tuple[Delivery, asyncio.Task[None]]] = []

    def run(channel: FakeChannel, policy: DeliveryPolicy = FAST) -> Delivery:
        delivery = Delivery(Outbox(db, clock), Lease(db), {channel.name: channel}, policy)
        started.append((delivery, asyncio.create_task(delivery.run())))
        return delivery

    yield run
    for delivery, task in started:
        await delivery.stop()
        await asyncio.wait_for(task, 5)


async def queue(db: Database, clock: ManualClock, *ids: str) -> Outbox:
    outbox = Outbox(db, clock)
    for external_id in ids:
        await outbox.enqueue(
            Recipient.telegram(int(external_id)), OutgoingMessage(f"tin {external_id}")
        )
    return outbox


async def states(db: Database) -> dict[str, str]:
    rows = await db.fetchall("SELECT external_id, state FROM outbox ORDER BY id")
    return {r[0]: r[1] for r in rows}


async def settled(db: Database, count: int) -> None:
    for _ in range(400):
        if (
            await db.scalar("SELECT COUNT(*) FROM outbox WHERE state NOT IN ('pending', 'sending')")
            >= count
        ):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not {count} rows done: {await states(db)}")


async def until(check: Callable[[], object], what: str, timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Wait until `check()` is true (a definite event, not a pause)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def test_the_global_pace_is_kept_in_every_second(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel()
    await queue(db, clock, *(str(i) for i in range(1, 161)))
    sender(channel, DeliveryPolicy(rate=100, per_chat_interval=0.0, idle_poll=0.05))
    await settled(db, 160)
    times = [t for t, _ in channel.sends]
    busiest = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    # The ceiling holds whatever the machine's load. How close the sender gets
    # to it is a speed figure, for `make bench` (bench_broadcast.py), not a test.
    assert busiest <= 100 and len(times) == 160


async def test_one_chat_gets_at_most_one_message_per_interval(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel()
    await queue(db, clock, "7", "7", "7", "8")
    sender(channel, DeliveryPolicy(rate=None, per_chat_interval=0.2, idle_poll=0.05))
    await settled(db, 4)
    sevens = [t for t, who in channel.sends if who == "7"]
    assert len(sevens) == 3 and all(b - a >= 0.2 for a, b in itertools.pairwise(sevens))


async def test_retry_after_pauses_the_whole_sender_then_retries(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel(script={"1": [DeliveryError("Too Many Requests", retry_after=0.3)]})
    await queue(db, clock, "1", "2", "3")
    delivery = sender(channel, DeliveryPolicy(rate=1000, per_chat_interval=0.0, idle_poll=0.05))
    await settled(db, 3)
    first_failure = channel.sends[0][0]
    assert all(t - first_failure >= 0.29 for t, _ in channel.sends[1:])
    assert await states(db) == {"1": "sent", "2": "sent", "3": "sent"}
    assert delivery.stats.flood_waits == 1
    assert await db.scalar("SELECT attempts FROM outbox WHERE external_id = '1'") == 1


async def test_server_errors_are_retried_and_fail_after_the_budget_with_the_reason(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel(
        script={
            "1": [DeliveryError("Bad Gateway"), DeliveryError("Bad Gateway")],
            "2": [DeliveryError("Internal Server Error")] * 9,
            "3": [DeliveryError("Bad Request: message is too long", permanent=True)],
        }
    )
    await queue(db, clock, "1", "2", "3")
    delivery = sender(
        channel,
        DeliveryPolicy(
            rate=None, per_chat_interval=0.0, max_attempts=4, backoff=0.01, idle_poll=0.05
        ),
    )
    await settled(db, 3)
    rows = {
        r[0]: tuple(r)[1:]
        for r in await db.fetchall("SELECT external_id, state, attempts, error FROM outbox")
    }
    assert rows == {
        "1": ("sent", 3, None),
        "2": ("failed", 4, "Internal Server Error"),
        "3": ("failed", 1, "Bad Request: message is too long"),
    }
    assert delivery.stats.retried_errors == 2 + 3


async def test_a_block_marks_the_citizen_and_stops_further_sends(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    citizens = CitizenRepository(db, clock)
    await citizens.create(Recipient.telegram(5), "Lan", "vi", None)
    channel = FakeChannel(
        script={"5": [DeliveryError("Forbidden: bot was blocked by the user", blocked=True)]}
    )
    outbox = await queue(db, clock, "5", "5", "6")
    sender(channel)
    await settled(db, 3)
    await outbox.enqueue(Recipient.telegram(5), OutgoingMessage("sau này"))
    await settled(db, 4)
    assert [who for _, who in channel.sends].count("5") == 1
    rows = await db.fetchall("SELECT state FROM outbox WHERE external_id = '5'")
    assert [r[0] for r in rows] == ["blocked"] * 3
    citizen = await citizens.get(Recipient.telegram(5))
    assert citizen is not None and citizen.blocked


async def test_no_more_than_in_flight_rows_are_ever_claimed(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel(gate=asyncio.Event())
    await queue(db, clock, *(str(i) for i in range(1, 101)))
    sender(channel, DeliveryPolicy(rate=None, per_chat_interval=0.0, in_flight=8, idle_poll=0.05))
    await until(lambda: channel.waiting >= 8, "eight sends held at the gate")
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sending'") == 8
    assert channel.waiting == 8
    assert channel.sends == []
    channel.gate.set()
    await settled(db, 100)


async def test_rows_a_dead_sender_left_in_flight_are_sent_again(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    outbox = await queue(db, clock, "1", "2", "3")
    claimed = await outbox.claim(2)  # a sender claimed these, then was killed
    assert len(claimed) == 2
    channel = FakeChannel()
    delivery = sender(channel)
    await settled(db, 3)
    assert sorted(who for _, who in channel.sends) == ["1", "2", "3"]
    assert delivery.stats.released_at_start == 2


async def test_only_one_sender_drains_at_a_time(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    first, second = FakeChannel(), FakeChannel()
    holder = sender(first).lease.owner
    lease = "SELECT owner FROM delivery_lease WHERE id = 1"
    for _ in range(500):  # the first sender holds the lease before the second starts
        if await db.scalar(lease) == holder:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("the first sender never took the lease")
    sender(second)
    await queue(db, clock, "1", "2", "3")
    await settled(db, 3)
    assert len(first.sends) == 3 and second.sends == []


async def test_progress_is_reported_and_the_end_once(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    from bot.outreach.audience import Audience
    from bot.outreach.broadcasts import Broadcasts

    citizens = CitizenRepository(db, clock)
    for i in range(1, 21):
        await citizens.create(Recipient.telegram(i), f"c{i}", "vi", "dong-tam")
    outbox = Outbox(db, clock)
    broadcasts = Broadcasts(db, clock, outbox)
    author = Recipient("cli", "t")
    draft = await broadcasts.start_draft(author, None)
    await broadcasts.update_draft(
        author, draft.id, message=OutgoingMessage("x"), audience=Audience()
    )
    reports: list[Progress] = []

    async def listen(progress: Progress) -> None:
        reports.append(progress)

    delivery = sender(
        FakeChannel(),
        DeliveryPolicy(rate=100, per_chat_interval=0.0, progress_every=0.05, idle_poll=0.05),
    )
    delivery.listeners += [broadcasts.on_progress, listen]
    await broadcasts.confirm(author, draft.id)
    await until(lambda: any(r.finished for r in reports), "the final report")
    # A second final report would come from this flush or a later one: one
    # more row, queued now and recorded by a later flush, is the marker.
    await outbox.enqueue(Recipient.telegram(1), OutgoingMessage("sau cùng"))
    await settled(db, 21)
    finals = [r for r in reports if r.finished]
    assert len(finals) == 1 and finals[0].counts.sent == 20 and finals[0].counts.remaining == 0
    assert any(not r.finished and r.counts.remaining > 0 for r in reports)
    done = await broadcasts.get(draft.id)
    assert done is not None and done.state == "done" and done.total == 20


async def test_a_group_gets_at_most_twenty_messages_a_minute(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel()
    await queue(db, clock, "-100123", "-100123")
    sender(
        channel,
        DeliveryPolicy(rate=None, per_chat_interval=0.05, per_group_interval=0.4, idle_poll=0.05),
    )
    await settled(db, 2)
    first, second = (t for t, _ in channel.sends)
    assert second - first >= 0.4
