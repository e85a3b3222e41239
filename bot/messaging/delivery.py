"""The sender: drains the outbox under the platform's rate limits, whatever the channel.

- A pace per channel: the configured one (default 25 messages/s, never
  above 30/s, Telegram's limit for a bot), or the channel's own where its
  `ChannelSpec.rate` sets one (Zalo Bot: 5/s); and at most one message per
  second to one chat. A row whose chat is not free yet is put off in SQLite
  rather than claimed, so one busy chat never holds the in-flight slots a
  broadcast needs; likewise a channel with a pace of its own has its rows
  claimed one by one as that pace lets them go, so a slow channel's rows do
  not wait for it in those slots either: Telegram's rows of a broadcast to
  both go at Telegram's pace. The sends keep each channel's pace too, so a
  claimed row that starts late (a loaded machine) waits out only the bunching.
- Each refusal comes with the channel's `Verdict` (bot/messaging/notify.py):
  RETRY: with `retry_after` the channel's sends wait as asked (flood control
  is per bot) and the same message is tried again; otherwise exponential
  backoff, and after `max_attempts` the row ends `failed` with the reason.
  REFUSED: a citizen's row ends `blocked` and the citizen is marked, so
  nothing more is sent to them; an officer's or a group's row waits and is
  tried again on `DeliveryPolicy.next_try`'s schedule, or at once when they
  write to the bot (`Outbox.wake`). DOWN: the channel is paused (its rows
  go back to the queue, uncounted), the officers are told through the log
  and `/broadcasts`, and one row tries it every `pause_check` seconds until
  it works. FAILED: the row ends `failed` at once. OUTSIDE_WINDOW: the row
  ends `outside`, like a row the outbox did not send because its recipient
  had not written within the channel's window (`OutboxRow.outside`): never
  retried, and a broadcast whose only rows left are such is finished.

At most `in_flight` rows are claimed (state `sending`) at any moment: that
is the bound on messages a kill can make someone receive twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from bot.messaging.channels import TELEGRAM_SPEC, ZALO_BOT_SPEC, ZALO_OA_SPEC, Recipient, rates_of
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import Channel, DeliveryError, Verdict
from bot.messaging.outbox import Counts, Lease, Outbox, OutboxRow, Outcome
from bot.messaging.pacing import ChatSpacing, Pacer

log = logging.getLogger(__name__)
OUTSIDE = "outside the channel's messaging window"


@dataclass(frozen=True)
class Progress:
    """Where one broadcast stands; `rate` is messages/s sent during this run."""

    broadcast_id: int
    counts: Counts
    rate: float
    finished: bool


ProgressListener = Callable[[Progress], Awaitable[None]]


@dataclass
class DeliveryStats:
    """What the sender did since it started (for logs and benchmarks)."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    flood_waits: int = 0  # 429 / retry_after honoured
    retried_errors: int = 0  # network errors and 5xx retried
    released_at_start: int = 0  # rows a dead sender left in flight
    waits: int = 0  # refusals that made an officer's or a group's row wait
    put_back: int = 0  # rows returned to the queue because their channel was down
    pauses: int = 0  # times a channel was found down
    outside: int = 0  # rows not sent: outside their channel's messaging window


@dataclass
class _Down:
    """A channel that is down: held until `retry_at` (loop time), then tried with one row."""

    reason: str
    retry_at: float
    probe: int | None = None  # the row trying it now


@dataclass
class _Run:
    """Per-broadcast bookkeeping while it is being sent."""

    started: float
    sent: int = 0
    in_flight: int = 0
    reported: float = 0.0


@dataclass
class Delivery:
    """Drains the outbox until stopped; call `wake()` when rows were added."""

    outbox: Outbox
    lease: Lease
    channels: Mapping[str, Channel]
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    listeners: list[ProgressListener] = field(default_factory=list)
    stats: DeliveryStats = field(default_factory=DeliveryStats)
    # The channels with a pace of their own (ChannelSpec.rate), claimed at it.
    rates: Mapping[str, float] = field(
        default_factory=lambda: rates_of((TELEGRAM_SPEC, ZALO_BOT_SPEC, ZALO_OA_SPEC))
    )
    # Channels that will open in this process but may not have yet (a guest
    # application starting after the sender): their rows wait, never fail.
    awaited: AbstractSet[str] = frozenset()

    def __post_init__(self) -> None:
        self._signal = asyncio.Event()
        self._stopping = asyncio.Event()
        self._pacers: dict[str, Pacer] = {}  # each channel's sends, see `_pacer`
        # Each channel of its own pace: its claims, at that pace (`_paced`).
        self._admissions: dict[str, Pacer] = {}
        # A channel of its own pace with nothing due: not looked at again
        # until this loop time, or until rows are queued (`wake`).
        self._quiet: dict[str, float] = {}
        self._spacing = ChatSpacing(self.policy.per_chat_interval, self.policy.per_group_interval)
        self._wire = asyncio.Semaphore(self.policy.connections)
        self._batch = max(1, self.policy.in_flight // 2)  # rows per claim and per record
        self._tasks: set[asyncio.Task[None]] = set()
        self._done: list[Outcome] = []
        self._claimed = 0
        self._runs: dict[int, _Run] = {}
        self._messages: OrderedDict[int, OutgoingMessage | None] = OrderedDict()
        # Who blocked the bot in the last minute: rows claimed before the block
        # was recorded are not sent. Later claims read the flag from SQLite.
        self._blocked: dict[Recipient, float] = {}
        self._down: dict[str, _Down] = {}
        self._next_due = float("inf")  # loop time of the earliest row put off by a claim
        self._put_off = 0  # rows the last claim put off
        # Each busy chat's next turn (loop time), see _plan; and the chats with
        # a row being sent, retries included: one row of a chat at a time.
        self._turns: dict[Recipient, float] = {}
        self._sending: dict[Recipient, int] = {}
        self.outbox.on_enqueue = self.wake

    def wake(self) -> None:
        """New rows were queued: look now rather than at the next poll."""
        self._quiet.clear()
        self._signal.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._signal.set()

    def down(self) -> dict[str, str]:
        """Channels paused because they are down, with the reason."""
        return {name: state.reason for name, state in self._down.items()}

    async def run(self) -> None:
        """Hold the lease, put a dead sender's rows back, and drain until stopped."""
        loop = asyncio.get_running_loop()
        try:
            while not self._stopping.is_set():
                if not await self.lease.acquire():
                    await self._sleep(5.0)  # another process is sending; stand by
                    continue
                released = await self.outbox.release_in_flight()
                self.stats.released_at_start += released
                for pause in await self.outbox.pauses():  # left by an earlier run: try at once
                    if pause.channel in self.channels:
                        self._down.setdefault(pause.channel, _Down(pause.reason, 0.0))
                if released:
                    log.warning(
                        "outbox: %d messages were in flight at a crash; resending", released
                    )
                await self._drain(loop)
        finally:
            await self._finish()

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        next_beat = loop.time() + 5.0
        last_flush = loop.time()
        while not self._stopping.is_set():
            # Cleared before the work, not after: a send that ends meanwhile
            # sets it again and the wait below returns at once.
            self._signal.clear()
            now = loop.time()
            if now >= next_beat:
                if not await self.lease.beat():
                    log.error("outbox: another process took over sending")
                    return
                next_beat = now + 5.0
            full = len(self._done) >= self._batch
            if self._done and (full or now - last_flush >= 0.05 or not self._tasks):
                await self._flush(now)
                last_flush = now
            await self._fill()
            await self._report(now)
            idle = not self._tasks and not self._done
            wait = self.policy.idle_poll if idle else 0.05
            due = self._next_due - loop.time()  # a row the claim put off is due sooner
            await self._sleep(min(wait, due) if due > 0 else wait)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._signal.wait(), seconds)

    async def _fill(self) -> None:
        free = self.policy.in_flight - self._claimed
        if free <= 0:
            return
        loop = asyncio.get_running_loop()
        if self._next_due <= loop.time():  # those rows are due: this claim takes or puts them off
            self._next_due = float("inf")
            self._quiet.clear()
        rows = await self._paced(free, loop.time())
        left = free - len(rows)
        if left > 0 and not (self._tasks and left < self._batch):  # the rest in batches
            rows += await self._probes(loop.time())
            for _ in range(4):  # rows put off by one look leave room for due rows in the next
                self._put_off = 0
                # Those go at their own pace, above. A channel still opening here
                # (`awaited`) keeps its rows queued; one not run here at all is not
                # skipped: its rows end `failed` (no channel), as any channel's would.
                skip = [*self._down, *(name for name in self.rates if name in self.channels)]
                skip += [name for name in self.awaited if name not in self.channels]
                rows += await self.outbox.claim(free - len(rows), plan=self._plan, skip=skip)
                if len(rows) >= free or not self._put_off:
                    break
        self._start(rows)

    def _start(self, rows: list[OutboxRow]) -> None:
        """Send the claimed rows; those that are not to be sent end at once."""
        loop = asyncio.get_running_loop()
        for row in rows:
            self._claimed += 1
            if row.broadcast_id is not None:
                run = self._runs.setdefault(row.broadcast_id, _Run(started=loop.time()))
                run.in_flight += 1
            if row.outside:  # not held by the plan: its chat was never made busy
                self._done.append(Outcome(row, "outside", row.attempts, OUTSIDE))
                if self._probing(row):
                    self._release(row.recipient)
                self._untried(row)
                continue
            if row.blocked:
                self._done.append(Outcome(row, "blocked", row.attempts, "blocked the bot earlier"))
                self._untried(row)
                self._release(row.recipient)
                continue
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _paced(self, free: int, now: float) -> list[OutboxRow]:
        """Rows of the channels with a pace of their own, as many as it lets go now.

        Each is claimed when its channel may send, one at a time, so it never
        waits for that pace in an in-flight slot; the loop wakes when the
        channel's next send may go (`_next_due`). A channel with nothing due
        is left quiet until rows are queued or the idle poll comes.
        """
        rows: list[OutboxRow] = []
        for name in self.rates:
            if name in self._down or name not in self.channels or self._quiet.get(name, 0) > now:
                continue
            pacer = self._admission(name)
            while len(rows) < free and pacer.due(now) <= now:
                claimed = await self._claim_one(name)
                if not claimed:
                    if not self._put_off:  # none due; rows of busy chats: look again soon
                        self._quiet[name] = now + self.policy.idle_poll
                    break
                rows += claimed
                if any(not (r.outside or r.blocked) for r in claimed):
                    pacer.take(now)  # rows not to be sent take no turn
            if self._quiet.get(name, 0) <= now:
                self._next_due = min(self._next_due, pacer.due(now))
        return rows

    async def _claim_one(self, name: str) -> list[OutboxRow]:
        """One row of channel `name`: to send, or not to be sent (outside its window)."""
        for _ in range(4):  # a busy chat's rows are put off; the next look reads others
            self._put_off = 0
            claimed = await self.outbox.claim(1, plan=self._plan, only=name)
            if claimed or not self._put_off:
                return claimed
        return []

    async def _probes(self, now: float) -> list[OutboxRow]:
        """One row of each paused channel whose time to be tried again has come."""
        rows: list[OutboxRow] = []
        for name, state in self._down.items():
            if state.probe is None and now >= state.retry_at:
                probe = await self.outbox.claim(1, only=name)
                if probe:
                    state.probe = probe[0].id
                    self._hold(probe[0].recipient)
                    rows += probe
        return rows

    def _plan(
        self, rows: list[OutboxRow], limit: int, due: float
    ) -> tuple[list[OutboxRow], list[tuple[int, float]]]:
        """Send rows whose chat is free, up to `limit`; put the others off to their chat's turn.

        A chat is busy while one of its rows is being sent (retries too) and
        for its interval after. A busy chat has one turn (`_turns`) that only
        moves forward: all its rows wait until then, and the oldest goes. So
        one chat's messages keep their order, whenever each was queued.
        """
        loop = asyncio.get_running_loop()
        to_wall = time.time() - loop.time()
        # The moment the rows were read as due, on the loop's clock: judged
        # any later, a row put off until just after it would look due while
        # it was not read, and a newer row of its chat would pass it.
        now = due - to_wall
        if len(self._turns) > 1024:
            self._turns = {r: t for r, t in self._turns.items() if t > now}
        send: list[OutboxRow] = []
        later: list[tuple[int, float]] = []
        for row in rows:
            chat = row.recipient
            at = max(self._spacing.free_at(chat, now), self._turns.get(chat, now))
            if chat in self._sending:  # an older row is on its way, or retrying
                at = max(at, now + self._spacing.interval_for(chat))
            if at > now:
                later.append((row.id, at + to_wall))
                self._turns[chat] = at
                self._next_due = min(self._next_due, at)
                self._put_off += 1
            elif len(send) < limit:
                send.append(row)
                self._turns[chat] = now + self._spacing.interval_for(chat)
                self._hold(chat)  # now, not once claimed: the next look must see it busy
        return send, later

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            outcome = await self._attempts(row)
        except Exception as exc:  # a bug must cost one message, never the sender
            log.exception("outbox: row %d failed unexpectedly", row.id)
            outcome = Outcome(row, "failed", row.attempts + 1, f"internal error: {exc!r}"[:500])
        self._done.append(outcome)
        self._untried(row)
        self._release(row.recipient)
        # Wake the loop for a batch, or the last send: a wake per message
        # would cost more than the bookkeeping it triggers.
        if len(self._done) >= self._batch or len(self._tasks) <= 1:
            self._signal.set()

    async def _attempts(self, row: OutboxRow) -> Outcome:
        message = row.message or await self._broadcast_message(row.broadcast_id)
        channel = self.channels.get(row.recipient.channel)
        if message is None or channel is None:
            return Outcome(row, "failed", row.attempts, f"no message or channel for row {row.id}")
        attempts, floods = row.attempts, 0
        # A row claimed at its channel's own pace rarely waits here: only when
        # a late one would bunch with the next (a loaded machine), so that the
        # ceiling holds for the sends themselves, not just for the claims.
        pacer = self._pacer(row.recipient.channel)
        while not self._recently_blocked(row):
            await self._spacing.reserve(row.recipient)
            try:
                async with self._wire:
                    await pacer.wait()
                    if self._held(row):  # its channel went down while it waited
                        self.stats.put_back += 1
                        return Outcome(row, "pending", attempts)
                    attempts += 1
                    message_id = await channel.send(row.recipient, message)
                await self._answered(row)
                return Outcome(row, "sent", attempts, channel_message_id=message_id)
            except DeliveryError as exc:
                error = exc
            finally:
                self._spacing.sent(row.recipient)
            outcome = await self._judge(row, error, attempts, floods)
            if outcome is not None:
                return outcome
            if error.retry_after is not None:
                floods += 1
                attempts -= 1  # Telegram asked us to wait: not a failed attempt
            else:
                await asyncio.sleep(self.policy.backoff_for(attempts))
        return Outcome(row, "blocked", attempts, "blocked the bot earlier")

    def _recently_blocked(self, row: OutboxRow) -> bool:
        since = self._blocked.get(row.recipient)
        if since is not None and asyncio.get_running_loop().time() - since > 60.0:
            del self._blocked[row.recipient]
            return False
        return since is not None and not row.kept

    async def _judge(
        self, row: OutboxRow, exc: DeliveryError, attempts: int, floods: int
    ) -> Outcome | None:
        """The row's outcome after this refusal, or None to try again."""
        reason = str(exc)[:500]
        if exc.verdict is Verdict.DOWN:
            await self._pause(row, reason)
            self.stats.put_back += 1
            return Outcome(
                row, "pending", attempts - 1, reason
            )  # the channel's fault, not the row's
        await self._answered(row)
        if exc.verdict is Verdict.OUTSIDE_WINDOW:
            return Outcome(row, "outside", attempts, f"{OUTSIDE}: {reason}"[:500])
        if exc.verdict is Verdict.REFUSED:
            if row.kept:
                return self._wait(row, attempts, reason)
            self._blocked[row.recipient] = asyncio.get_running_loop().time()
            return Outcome(row, "blocked", attempts, reason)
        if exc.retry_after is not None:
            self.stats.flood_waits += 1
            self._pacer(row.recipient.channel).pause(exc.retry_after)
            if row.recipient.channel in self._admissions:  # and claim nothing meanwhile
                self._admissions[row.recipient.channel].pause(exc.retry_after)
            return (
                None
                if floods < self.policy.max_flood_waits
                else Outcome(row, "failed", attempts, reason)
            )
        if exc.verdict is Verdict.FAILED or attempts >= self.policy.max_attempts:
            return Outcome(row, "failed", attempts, reason)
        self.stats.retried_errors += 1
        return None

    def _wait(self, row: OutboxRow, attempts: int, reason: str) -> Outcome:
        """An officer's or a group's chat refused: try again later, on the schedule."""
        now = time.time()
        refusals, first = row.refusals + 1, row.refused_at or now
        at = self.policy.next_try(refusals, first, now)
        who = f"{row.recipient.channel}:{row.recipient.external_id}"
        if at is None:
            days = self.policy.unreachable_for / 86400
            log.warning("outbox: %s unreachable for %g days; row %d failed", who, days, row.id)
            reason = f"unreachable for {days:g} days: {reason}"
            return Outcome(row, "failed", attempts, reason, refusals=refusals, refused_at=first)
        self.stats.waits += 1
        log.warning("outbox: %s cannot be reached (%s); next try in %.0f s", who, reason, at - now)
        return Outcome(
            row, "pending", attempts, reason, not_before=at, refusals=refusals, refused_at=first
        )

    def _pacer(self, channel: str) -> Pacer:
        """The pace of the channel's sends: its own (`rates`), never above the configured one."""
        pacer = self._pacers.get(channel)
        if pacer is None:
            pacer = self._pacers[channel] = Pacer(self._rate(channel), self.policy.margin)
        return pacer

    def _admission(self, channel: str) -> Pacer:
        """The pace of the claims of a channel with a pace of its own: the same rate."""
        pacer = self._admissions.get(channel)
        if pacer is None:
            pacer = self._admissions[channel] = Pacer(self._rate(channel), self.policy.margin)
        return pacer

    def _rate(self, channel: str) -> float | None:
        rates = [r for r in (self.rates.get(channel), self.policy.rate) if r is not None]
        return min(rates, default=None)

    def _hold(self, chat: Recipient) -> None:
        """A row of `chat` is claimed: its chat is busy until that row is done."""
        self._sending[chat] = self._sending.get(chat, 0) + 1

    def _release(self, chat: Recipient) -> None:
        left = self._sending.pop(chat, 1) - 1
        if left:
            self._sending[chat] = left

    def _untried(self, row: OutboxRow) -> None:
        """A row meant to try a paused channel ended without its answer: let another try."""
        state = self._down.get(row.recipient.channel)
        if state is not None and state.probe == row.id:
            state.probe = None

    def _probing(self, row: OutboxRow) -> bool:
        state = self._down.get(row.recipient.channel)
        return state is not None and state.probe == row.id

    def _held(self, row: OutboxRow) -> bool:
        """Whether the row's channel is down and this row is not the one trying it."""
        state = self._down.get(row.recipient.channel)
        return state is not None and state.probe != row.id

    async def _pause(self, row: OutboxRow, reason: str) -> None:
        """Hold the channel; the first to find it down tells the officers (log, /broadcasts)."""
        name = row.recipient.channel
        retry_at = asyncio.get_running_loop().time() + self.policy.pause_check
        state = self._down.get(name)
        if state is not None:  # known: a try that failed again, or a row sent meanwhile
            if state.probe == row.id:
                state.retry_at, state.probe = retry_at, None
                await self.outbox.pause(name, reason)  # the time of this try, for /broadcasts
            return
        self._down[name] = _Down(reason, retry_at)
        self.stats.pauses += 1
        if await self.outbox.pause(name, reason):
            log.error(
                "outbox: sending on %s paused: %s. Check the token and the API root;"
                " trying again every %g s.",
                name,
                reason,
                self.policy.pause_check,
            )

    async def _answered(self, row: OutboxRow) -> None:
        """The channel answered this row (not "down"): if it was being tried, it is back."""
        name = row.recipient.channel
        state = self._down.get(name)
        if state is None or state.probe != row.id:
            return
        del self._down[name]
        await self.outbox.resume(name)
        log.warning("outbox: sending on %s resumed (it was paused: %s)", name, state.reason)
        self._signal.set()

    async def _broadcast_message(self, broadcast_id: int | None) -> OutgoingMessage | None:
        if broadcast_id is None:
            return None
        if broadcast_id not in self._messages:
            self._messages[broadcast_id] = await self.outbox.broadcast_message(broadcast_id)
            while len(self._messages) > 16:
                self._messages.popitem(last=False)
        return self._messages[broadcast_id]

    async def _flush(self, now: float) -> None:
        done, self._done = self._done, []
        await self.outbox.record(done)
        self._claimed -= len(done)
        finished: list[int] = []
        for outcome in done:
            if outcome.state != "pending":
                setattr(self.stats, outcome.state, getattr(self.stats, outcome.state) + 1)
            run = self._runs.get(outcome.row.broadcast_id or 0)
            if run is None:
                continue
            run.in_flight -= 1
            run.sent += outcome.state == "sent"
            if run.in_flight == 0:
                finished.append(outcome.row.broadcast_id or 0)
        for broadcast_id in dict.fromkeys(finished):
            counts = await self.outbox.counts(broadcast_id)
            if counts.remaining == 0:
                await self._publish(broadcast_id, counts, now, finished=True)

    async def _report(self, now: float) -> None:
        for broadcast_id, run in list(self._runs.items()):
            if now - run.reported >= self.policy.progress_every:
                run.reported = now
                await self._publish(broadcast_id, await self.outbox.counts(broadcast_id), now)

    async def _publish(
        self, broadcast_id: int, counts: Counts, now: float, finished: bool = False
    ) -> None:
        run = self._runs.pop(broadcast_id) if finished else self._runs[broadcast_id]
        rate = run.sent / max(now - run.started, 1e-6)
        progress = Progress(broadcast_id, counts, rate, finished)
        for listener in self.listeners:
            try:
                await listener(progress)
            except Exception:  # showing progress must never stop the sending
                log.exception("outbox: progress listener failed")

    async def _finish(self) -> None:
        """On stop: let in-flight sends end briefly, record them, give up the lease."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=2.0)
            for task in pending:
                task.cancel()  # their rows stay `sending` and are resent next start
            await asyncio.gather(*pending, return_exceptions=True)
        if self._done:
            await self.outbox.record(self._done)
            self._done = []
        with contextlib.suppress(Exception):
            await self.lease.release()
