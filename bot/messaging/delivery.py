"""The sender: drains the outbox under the platform's rate limits, whatever the channel.

- A global pace (default 25 messages/s, never above 30/s, Telegram's limit
  for a bot), and at most one message per second to one chat.
- `DeliveryError.retry_after`: the whole sender waits as asked (flood
  control is per bot), then tries the same message again.
- `blocked`: the row ends `blocked` and the citizen is marked, so nothing
  more is sent to them. `permanent` errors fail at once.
- Other errors (network, 5xx) are retried with exponential backoff and
  counted; after `max_attempts` the row ends `failed` with the reason.

At most `in_flight` rows are claimed (state `sending`) at any moment: that
is the bound on messages a kill can make someone receive twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.messaging.channels import Recipient
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import Channel, DeliveryError
from bot.messaging.outbox import Counts, Lease, Outbox, OutboxRow, Outcome
from bot.messaging.pacing import ChatSpacing, Pacer

log = logging.getLogger(__name__)


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

    def __post_init__(self) -> None:
        self._signal = asyncio.Event()
        self._stopping = asyncio.Event()
        self._pacer = Pacer(self.policy.rate, self.policy.margin)
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
        self.outbox.on_enqueue = self.wake

    def wake(self) -> None:
        """New rows were queued: look now rather than at the next poll."""
        self._signal.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._signal.set()

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
            await self._sleep(self.policy.idle_poll if idle else 0.05)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._signal.wait(), seconds)

    async def _fill(self) -> None:
        free = self.policy.in_flight - self._claimed
        if free <= 0 or (self._tasks and free < self._batch):
            return  # claim in batches: one transaction for many rows
        loop = asyncio.get_running_loop()
        for row in await self.outbox.claim(free):
            self._claimed += 1
            if row.broadcast_id is not None:
                run = self._runs.setdefault(row.broadcast_id, _Run(started=loop.time()))
                run.in_flight += 1
            if row.blocked:
                self._done.append(Outcome(row, "blocked", row.attempts, "blocked the bot earlier"))
                continue
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            outcome = await self._attempts(row)
        except Exception as exc:  # a bug must cost one message, never the sender
            log.exception("outbox: row %d failed unexpectedly", row.id)
            outcome = Outcome(row, "failed", row.attempts + 1, f"internal error: {exc!r}"[:500])
        self._done.append(outcome)
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
        while not self._recently_blocked(row.recipient):
            await self._spacing.reserve(row.recipient)
            try:
                async with self._wire:
                    await self._pacer.wait()
                    attempts += 1
                    message_id = await channel.send(row.recipient, message)
                return Outcome(row, "sent", attempts, channel_message_id=message_id)
            except DeliveryError as exc:
                error = exc
            finally:
                self._spacing.sent(row.recipient)
            verdict = self._judge(error, attempts, floods)
            if verdict == "blocked":
                self._blocked[row.recipient] = asyncio.get_running_loop().time()
            if verdict is not None:
                return Outcome(row, verdict, attempts, str(error)[:500])
            if error.retry_after is not None:
                floods += 1
                attempts -= 1  # Telegram asked us to wait: not a failed attempt
            else:
                await asyncio.sleep(self.policy.backoff_for(attempts))
        return Outcome(row, "blocked", attempts, "blocked the bot earlier")

    def _recently_blocked(self, recipient: Recipient) -> bool:
        since = self._blocked.get(recipient)
        if since is not None and asyncio.get_running_loop().time() - since > 60.0:
            del self._blocked[recipient]
            return False
        return since is not None

    def _judge(self, exc: DeliveryError, attempts: int, floods: int) -> str | None:
        """The final state for this error, or None to try again."""
        if exc.blocked:
            return "blocked"
        if exc.retry_after is not None:
            self.stats.flood_waits += 1
            self._pacer.pause(exc.retry_after)
            return "failed" if floods >= self.policy.max_flood_waits else None
        if exc.permanent or attempts >= self.policy.max_attempts:
            return "failed"
        self.stats.retried_errors += 1
        return None

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
