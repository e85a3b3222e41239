"""The outbox sender against a fake channel: pace, spacing, retries, blocks, bounds, restarts."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.delivery import Delivery, Progress
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from bot.messaging.outbox import Lease, Outbox
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role


@dataclass
class FakeChannel:
    """Records each send; `script[recipient id]` lists errors to raise before succeeding."""

    name: str = "telegram"
    sends: list[tuple[float, str]] = field(default_factory=list)
    script: dict[str, list[DeliveryError]] = field(default_factory=dict)
    gate: asyncio.Event | None = None  # when set, sends wait for it
    waiting: int = 0  # sends held at the gate
    refuse: DeliveryError | None = None  # every send fails so while set (the channel is down)
    texts: list[str] = field(default_factory=list)  # of the messages that went

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        if self.gate is not None:
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        self.sends.append((time.monotonic(), recipient.external_id))
        if self.refuse is not None:
            raise self.refuse
        errors = self.script.get(recipient.external_id)
        if errors:
            raise errors.pop(0)
        self.texts.append(message.text)
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
    for _ in range(3000):
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
            "3": [DeliveryError("Bad Request: message is too long", Verdict.FAILED)],
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
        script={"5": [DeliveryError("Forbidden: bot was blocked by the user", Verdict.REFUSED)]}
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
    for _ in range(3000):  # the first sender holds the lease before the second starts
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


async def test_a_busy_chat_waits_in_sqlite_not_in_the_in_flight_slots(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel()
    others = [str(i) for i in range(100, 250)]
    await queue(db, clock, *["7"] * 60, *others)
    sender(channel, DeliveryPolicy(rate=200, per_chat_interval=0.1, in_flight=8, idle_poll=0.05))
    for _ in range(3000):
        if sum(w != "7" for _, w in channel.sends) == len(others):
            break
        await asyncio.sleep(0.02)
    who = [w for _, w in channel.sends]
    assert sorted(w for w in who if w != "7") == others  # all of them, once
    assert 1 <= who.count("7") < 60  # beside them, at its own pace, not ahead of them
    assert (
        await db.scalar(
            "SELECT COUNT(*) FROM outbox WHERE external_id = '7'"
            " AND state = 'pending' AND not_before IS NOT NULL"
        )
        > 0
    )


async def test_one_chat_gets_its_messages_in_order_even_when_one_is_retried(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel(script={"7": [DeliveryError("Bad Gateway")] * 2})
    outbox = Outbox(db, clock)
    sender(channel, DeliveryPolicy(rate=300, per_chat_interval=0.02, backoff=0.05, idle_poll=0.05))
    for n in range(30):  # queued while the sender runs, among other chats' messages
        await outbox.enqueue(Recipient.telegram(7), OutgoingMessage(f"tin {n}"))
        await outbox.enqueue(Recipient.telegram(100 + n), OutgoingMessage("khác"))
    await settled(db, 60)
    assert [t for t in channel.texts if t != "khác"] == [f"tin {n}" for n in range(30)]


def unreachable(verdict: Verdict = Verdict.REFUSED) -> DeliveryError:
    return DeliveryError("Forbidden: bot can't initiate conversation with a user", verdict)


SHORT = DeliveryPolicy(
    rate=None,
    per_chat_interval=0.0,
    idle_poll=0.05,
    unreachable_retry=(0.2, 0.4),
    unreachable_every=0.5,
    unreachable_for=1.0,
)


async def officer(db: Database, clock: ManualClock, user_id: int, *, citizen: bool) -> Recipient:
    recipient = Recipient.telegram(user_id)
    await OfficerRepository(db, clock).add(recipient, "Anh Tư", {Role.JUSTICE})
    if citizen:  # an officer who also subscribed, and blocked the bot in a broadcast
        await CitizenRepository(db, clock).create(recipient, "Tư", "vi", None)
        await db.execute("UPDATE citizens SET blocked = 1")
    return recipient


@pytest.mark.parametrize("citizen", [False, True])
async def test_an_officer_who_refuses_waits_on_the_schedule_and_is_never_silenced(
    db: Database, clock: ManualClock, sender: Run, citizen: bool
) -> None:
    tu = await officer(db, clock, 9, citizen=citizen)
    channel = FakeChannel(script={"9": [unreachable(), unreachable()]})
    outbox = await queue(db, clock, "9", "9")
    delivery = sender(channel, SHORT)
    await settled(db, 2)  # both delivered in the end: refused twice, then tried again
    assert [w for _, w in channel.sends] == ["9"] * 4
    rows = await db.fetchall("SELECT state, refusals FROM outbox ORDER BY id")
    assert [tuple(r) for r in rows] == [("sent", 1), ("sent", 1)]
    assert delivery.stats.waits == 2 and delivery.stats.blocked == 0
    first_try, second_try = channel.sends[0][0], channel.sends[2][0]
    assert second_try - first_try >= 0.2  # the schedule's first step, not at once
    assert await outbox.unreachable() == {}
    assert (await CitizenRepository(db, clock).get(tu)) is None or citizen  # never marked


async def test_an_unreachable_officer_is_listed_and_woken_when_they_write(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    await officer(db, clock, 9, citizen=False)
    channel = FakeChannel(script={"9": [unreachable()] * 3})
    outbox = await queue(db, clock, "9")
    policy = replace(SHORT, unreachable_retry=(30.0,), unreachable_for=60.0)  # far off
    sender(channel, policy)
    for _ in range(3000):
        if await outbox.unreachable():
            break
        await asyncio.sleep(0.02)
    problem = (await outbox.unreachable())[Recipient.telegram(9)]
    assert problem.waiting == 1 and "initiate conversation" in problem.reason
    assert await outbox.wake(Recipient.telegram(10)) == 0  # someone else wrote
    assert await outbox.wake(Recipient.telegram(9)) == 1  # they wrote: at once, not in 30 s
    for _ in range(3000):
        if len(channel.sends) >= 2:
            break
        await asyncio.sleep(0.02)
    assert len(channel.sends) == 2


async def test_a_group_that_never_lets_the_bot_in_is_given_up_after_a_while(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    gone = FakeChannel(script={"-7": [unreachable()] * 10})  # no citizen: a group
    await queue(db, clock, "-7")
    sender(
        gone, replace(SHORT, unreachable_retry=(0.1,), unreachable_every=0.2, unreachable_for=0.5)
    )
    await settled(db, 1)
    row = await db.fetchone("SELECT state, attempts, error FROM outbox")
    assert row is not None and row[0] == "failed" and 2 <= row[1] <= 3  # from 0.1 s on
    assert row[2].startswith("unreachable for") and "initiate conversation" in row[2]


async def test_a_channel_that_is_down_is_paused_tried_again_and_resumed(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    channel = FakeChannel(refuse=DeliveryError("Unauthorized", Verdict.DOWN))
    outbox = await queue(db, clock, *(str(i) for i in range(1, 6)))
    delivery = sender(channel, replace(FAST, pause_check=0.2))
    for _ in range(3000):
        if len(channel.sends) >= 3:  # the first refusal, then a try every 0.2 s
            break
        await asyncio.sleep(0.02)
    assert delivery.down() == {"telegram": "Unauthorized"}
    assert [p.reason for p in await outbox.pauses()] == ["Unauthorized"]
    tries = [t for t, _ in channel.sends]
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(tries[-2:]))  # not in a loop
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'pending'") == 5

    channel.refuse = None  # the token works again
    await settled(db, 5)
    assert await states(db) == {str(i): "sent" for i in range(1, 6)}
    assert delivery.stats.pauses == 1 and delivery.stats.failed == 0
    attempts = await db.fetchall("SELECT attempts FROM outbox")
    assert {r[0] for r in attempts} == {1}  # the channel's refusals are not the rows' tries
    assert delivery.down() == {} and await outbox.pauses() == []


async def test_a_try_of_a_paused_channel_that_sends_nothing_lets_the_next_row_try(
    db: Database, clock: ManualClock, sender: Run
) -> None:
    citizens = CitizenRepository(db, clock)
    await citizens.create(Recipient.telegram(5), "Lan", "vi", None)
    channel = FakeChannel(refuse=DeliveryError("Unauthorized", Verdict.DOWN))
    await queue(db, clock, "5", "6")
    delivery = sender(channel, replace(FAST, pause_check=0.1))
    for _ in range(6000):
        if delivery.down():
            break
        await asyncio.sleep(0.01)
    await db.execute("UPDATE citizens SET blocked = 1")  # the row that tries next: not sent
    channel.refuse = None
    await settled(db, 2)
    assert await states(db) == {"5": "blocked", "6": "sent"}
    assert delivery.down() == {}
