"""The durable outbox: every message sent on the bot's own initiative is a row first.

States: pending -> sending (claimed by the sender) -> sent | failed | blocked.
After a crash the rows left in `sending` go back to pending; those are the
only messages that can reach a person twice (see README, "Delivery").
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.clock import Clock, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import Audience

STATES = ("pending", "sending", "sent", "failed", "blocked")


@dataclass(frozen=True)
class OutboxRow:
    """A claimed row: to whom, what (None: the broadcast's message), tries so far."""

    id: int
    broadcast_id: int | None
    recipient: Recipient
    message: OutgoingMessage | None
    attempts: int
    blocked: bool  # the citizen blocked the bot since the row was queued


@dataclass(frozen=True)
class Outcome:
    """How sending one row ended."""

    row: OutboxRow
    state: str  # sent | failed | blocked
    attempts: int
    error: str | None = None
    channel_message_id: str | None = None


@dataclass(frozen=True)
class Counts:
    """Rows of one broadcast by state."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def remaining(self) -> int:
        return self.pending + self.sending

    @property
    def total(self) -> int:
        return self.remaining + self.sent + self.failed + self.blocked


class Outbox:
    """Outbox rows in SQLite; `on_enqueue` wakes whoever drains it."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self.on_enqueue: Callable[[], None] = lambda: None

    async def enqueue(self, recipient: Recipient, message: OutgoingMessage) -> int:
        """Queue one message to one person; returns the row id."""
        row_id = await self._db.execute(
            "INSERT INTO outbox (channel, external_id, message, created_at) VALUES (?, ?, ?, ?)",
            (recipient.channel, recipient.external_id, message.to_json(), self._now()),
        )
        self.on_enqueue()
        return row_id

    async def enqueue_broadcast(
        self, tx: Transaction, broadcast_id: int, audience: Audience
    ) -> int:
        """Queue a row per citizen of the audience, inside the caller's transaction.

        One INSERT ... SELECT: SQLite copies the rows itself, so 100,000
        recipients cost no Python memory; the unique key makes a repeat a no-op.
        """
        select, params = audience.sql()
        await tx.execute(
            "INSERT OR IGNORE INTO outbox (broadcast_id, channel, external_id, created_at)"
            f" SELECT :broadcast, r.channel, r.external_id, :now FROM ({select}) r",
            {**params, "broadcast": broadcast_id, "now": self._now()},
        )
        row = await tx.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE broadcast_id = ?", (broadcast_id,)
        )
        return int(row[0]) if row else 0

    async def enqueue_select(
        self, tx: Transaction, select: str, params: dict[str, object], message: OutgoingMessage
    ) -> int:
        """Queue `message` to every (channel, external_id) of `select`, in the caller's
        transaction: the rows and the caller's own change commit together or not at all."""
        await tx.execute(
            "INSERT INTO outbox (channel, external_id, message, created_at)"
            f" SELECT r.channel, r.external_id, :message, :now FROM ({select}) r",
            {**params, "message": message.to_json(), "now": self._now()},
        )
        row = await tx.fetchone("SELECT changes()")
        return int(row[0]) if row else 0

    async def claim(self, limit: int) -> list[OutboxRow]:
        """Mark up to `limit` pending rows as sending, oldest first, and return them."""
        if limit <= 0:
            return []
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT o.id, o.broadcast_id, o.channel, o.external_id, o.message, o.attempts,"
                " COALESCE(c.blocked, 0) AS blocked FROM outbox o"
                " LEFT JOIN citizens c ON c.channel = o.channel AND c.external_id = o.external_id"
                " WHERE o.state = 'pending' ORDER BY o.id LIMIT ?",
                (limit,),
            )
            if rows:
                # Row ids only grow and the transaction is exclusive, so the
                # pending rows in this id range are exactly the ones selected.
                await tx.execute(
                    "UPDATE outbox SET state = 'sending' WHERE state = 'pending'"
                    " AND id BETWEEN ? AND ?",
                    (rows[0]["id"], rows[-1]["id"]),
                )
        return [
            OutboxRow(
                id=r["id"],
                broadcast_id=r["broadcast_id"],
                recipient=Recipient(r["channel"], r["external_id"]),
                message=OutgoingMessage.from_json(r["message"]) if r["message"] else None,
                attempts=r["attempts"],
                blocked=bool(r["blocked"]),
            )
            for r in rows
        ]

    async def record(self, outcomes: Iterable[Outcome]) -> None:
        """Store how rows ended, and mark citizens who blocked the bot, in one transaction."""
        now = self._now()
        done = list(outcomes)
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE outbox SET state = ?, attempts = ?, error = ?, channel_message_id = ?,"
                " done_at = ? WHERE id = ?",
                [(o.state, o.attempts, o.error, o.channel_message_id, now, o.row.id) for o in done],
            )
            blocked = [
                (now, o.row.recipient.channel, o.row.recipient.external_id)
                for o in done
                if o.state == "blocked"
            ]
            # The reports count subscribers from this history: a citizen who
            # could be reached until now leaves it as "blocked".
            await tx.executemany(
                "INSERT INTO subscription_events (citizen_id, at, event)"
                " SELECT id, ?, 'blocked' FROM citizens"
                " WHERE channel = ? AND external_id = ? AND blocked = 0 AND subscribed = 1",
                blocked,
            )
            await tx.executemany(
                "UPDATE citizens SET blocked = 1, updated_at = ?"
                " WHERE channel = ? AND external_id = ? AND blocked = 0",
                blocked,
            )

    async def release_in_flight(self) -> int:
        """Put rows a dead sender had claimed back in the queue; returns how many."""
        async with self._db.transaction() as tx:
            await tx.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")
            row = await tx.fetchone("SELECT changes()")
        return int(row[0]) if row else 0

    async def counts(self, broadcast_id: int) -> Counts:
        rows = await self._db.fetchall(
            "SELECT state, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY state",
            (broadcast_id,),
        )
        return Counts(**{r[0]: r[1] for r in rows})

    async def has_pending(self) -> bool:
        return bool(
            await self._db.scalar("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending')")
        )

    async def broadcast_message(self, broadcast_id: int) -> OutgoingMessage | None:
        text = await self._db.scalar("SELECT message FROM broadcasts WHERE id = ?", (broadcast_id,))
        return OutgoingMessage.from_json(text) if text else None

    def _now(self) -> str:
        return to_db(self._clock.now())


class OutboxNotifier:
    """The `Notifier` of bot/notify.py: a message to one person is one outbox row."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None:
        await self._outbox.enqueue(recipient, message)


class Lease:
    """Which process drains the outbox; a dead or silent holder loses it.

    Real seconds (time.time), not the business clock: liveness is physical.
    """

    STALE_AFTER = 30.0

    def __init__(self, db: Database) -> None:
        self._db = db
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"

    async def acquire(self) -> bool:
        """Take the lease if it is free, ours, stale, or held by a dead local process."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT owner, heartbeat FROM delivery_lease WHERE id = 1")
            if (
                row is not None
                and row["owner"] != self.owner
                and _alive(row["owner"], row["heartbeat"])
            ):
                return False
            await tx.execute(
                "INSERT INTO delivery_lease (id, owner, heartbeat) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, heartbeat = excluded.heartbeat",
                (self.owner, time.time()),
            )
        return True

    async def beat(self) -> bool:
        """Renew the lease; False if another process has taken it."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE delivery_lease SET heartbeat = ? WHERE id = 1 AND owner = ?",
                (time.time(), self.owner),
            )
            row = await tx.fetchone("SELECT changes()")
        return bool(row and row[0])

    async def release(self) -> None:
        await self._db.execute("DELETE FROM delivery_lease WHERE owner = ?", (self.owner,))

    async def held_by_other(self) -> bool:
        """Whether a live process other than this one is draining."""
        row = await self._db.fetchone("SELECT owner, heartbeat FROM delivery_lease WHERE id = 1")
        return (
            row is not None
            and row["owner"] != self.owner
            and _alive(row["owner"], row["heartbeat"])
        )


def _alive(owner: str, heartbeat: float) -> bool:
    if time.time() - heartbeat > Lease.STALE_AFTER:
        return False
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False  # killed: take over at once rather than wait for staleness
    except PermissionError:
        return True
    return True
