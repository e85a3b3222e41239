"""The durable outbox: every message sent on the bot's own initiative is a row first.

States: pending -> sending (claimed by the sender) -> sent | failed | blocked
| outside. A pending row may wait (`not_before`): for its chat to be free, or,
for an officer or group whose chat refuses, for the next try of a bounded
schedule. `outside`: the recipient's channel has a messaging window and they
had not written within it (bot/messaging/window.py); a notification in that
state is queued again when they next write (`wake`), a broadcast's is not.
After a crash the rows left in `sending` go back to pending; those are the
only messages that can reach a person twice (see README, "Delivery").
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from bot.core.clock import Clock, to_db
from bot.core.db import Database, Transaction
from bot.core.i18n import use_language
from bot.messaging import window
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import Audience

STATES = ("pending", "sending", "sent", "failed", "blocked", "outside")
HEARD_EVERY = 60.0  # seconds between two notes of the same person's last interaction


@dataclass(frozen=True)
class OutboxRow:
    """A claimed row: to whom, what (None: the broadcast's message), tries so far.

    `kept`: an officer or a group (a notification to someone who is not a
    plain citizen): a refusal makes the row wait and retry, never blocks.
    """

    id: int
    broadcast_id: int | None
    recipient: Recipient
    message: OutgoingMessage | None
    attempts: int
    blocked: bool  # the citizen blocked the bot since the row was queued
    kept: bool = False
    refusals: int = 0
    refused_at: float | None = None  # Unix time of the first refusal
    outside: bool = False  # outside its channel's messaging window: not to be sent now


@dataclass(frozen=True)
class Outcome:
    """How sending one row ended; `pending` puts it back, to wait until `not_before`."""

    row: OutboxRow
    state: str  # sent | failed | blocked | outside | pending
    attempts: int
    error: str | None = None
    channel_message_id: str | None = None
    not_before: float | None = None
    refusals: int | None = None  # None: as the row had
    refused_at: float | None = None


@dataclass(frozen=True)
class Counts:
    """Rows of one broadcast by state."""

    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    outside: int = 0  # the recipient had not written within the channel's window

    @property
    def remaining(self) -> int:
        return self.pending + self.sending

    @property
    def total(self) -> int:
        return self.remaining + self.sent + self.failed + self.blocked + self.outside


@dataclass(frozen=True)
class Unreachable:
    """An officer or group whose chat refused the bot's last messages."""

    since: float  # Unix time of the first refusal
    waiting: int  # messages still waiting for them (0: given up)
    reason: str


@dataclass(frozen=True)
class Pause:
    """A channel the sender holds because it is down (bad token, wrong API root)."""

    channel: str
    since: float  # Unix time
    reason: str
    checked_at: float


# Given the rows due at a moment (Unix time), in queue order, and how many
# may go: the rows to send now, and rows to put off until a moment because
# their chat is busy.
Plan = Callable[[list[OutboxRow], int, float], tuple[list[OutboxRow], list[tuple[int, float]]]]


class Outbox:
    """Outbox rows in SQLite; `on_enqueue` wakes whoever drains it.

    `windows`: the channels with a messaging window (`ChannelSpec.window`):
    a row to someone not heard from within it is not sent.
    """

    def __init__(
        self, db: Database, clock: Clock, windows: Mapping[str, timedelta] | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self.windows: dict[str, timedelta] = dict(windows or {})
        self.on_enqueue: Callable[[], None] = lambda: None
        self._heard: dict[Recipient, float] = {}  # last time written, see `heard`

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

    async def claim(
        self,
        limit: int,
        *,
        plan: Plan | None = None,
        skip: Collection[str] = (),
        only: str | None = None,
    ) -> list[OutboxRow]:
        """Mark up to `limit` due pending rows as sending, oldest first, and return them.

        With `plan`, a window of due rows is read and `plan` picks the rows
        to send now and puts others off, in the same transaction: rows of a
        busy chat then wait in SQLite, not in the sender's in-flight slots.
        `skip` and `only` name channels to leave out or to keep to.
        """
        if limit <= 0:
            return []
        now = time.time()  # rows whose `not_before` has come
        if only is not None:
            where, names = " AND o.channel = ?", [only]
        else:
            where = f" AND o.channel NOT IN ({', '.join('?' * len(skip))})" if skip else ""
            names = list(skip)
        look = limit if plan is None else 2 * limit
        async with self._db.transaction() as tx:
            rows = [
                self._claimed(r)
                for r in await tx.fetchall(_CLAIM.format(where=where), (now, *names, look))
            ]
            # Rows outside their window are not sent: no chat turn, no pace.
            held = [r for r in rows if r.outside][:limit]
            rows = [r for r in rows if not r.outside]
            free = limit - len(held)
            chosen, later = plan(rows, free, now) if plan is not None else (rows[:free], [])
            chosen = held + chosen[:free]
            await tx.executemany(
                "UPDATE outbox SET state = 'sending' WHERE id = ?", [(r.id,) for r in chosen]
            )
            await tx.executemany(
                "UPDATE outbox SET not_before = ? WHERE id = ?", [(t, i) for i, t in later]
            )
        return chosen

    async def record(self, outcomes: Iterable[Outcome]) -> None:
        """Store how rows ended, and mark citizens who blocked the bot, in one transaction."""
        now = self._now()
        done = list(outcomes)
        async with self._db.transaction() as tx:
            await tx.executemany(
                "UPDATE outbox SET state = ?, attempts = ?, error = ?, channel_message_id = ?,"
                " refusals = ?, refused_at = ?, not_before = ?,"
                " done_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END WHERE id = ?",
                [
                    (
                        o.state,
                        o.attempts,
                        o.error,
                        o.channel_message_id,
                        o.row.refusals if o.refusals is None else o.refusals,
                        o.refused_at if o.refusals is not None else o.row.refused_at,
                        o.not_before,
                        o.state,
                        now,
                        o.row.id,
                    )
                    for o in done
                ],
            )
            # An officer or group reached again: what waited for them goes now.
            await tx.executemany(
                _WAKE,
                {
                    (o.row.recipient.channel, o.row.recipient.external_id)
                    for o in done
                    if o.state == "sent" and o.row.kept
                },
            )
            await self._mark_blocked(tx, now, [o for o in done if o.state == "blocked"])
            await self._reopen_heard(tx, [o for o in done if o.state == "outside"])

    async def _reopen_heard(self, tx: Transaction, outside: list[Outcome]) -> None:
        """A notification judged outside the window whose person wrote since it was
        claimed (their `wake` found it in flight, not held) goes after all."""
        now = self._clock.now().timestamp()
        await tx.executemany(
            "UPDATE outbox SET state = 'pending', done_at = NULL WHERE id = ? AND EXISTS"
            " (SELECT 1 FROM last_heard h WHERE h.channel = outbox.channel"
            " AND h.external_id = outbox.external_id AND h.at >= ?)",
            [
                (o.row.id, now - self.windows[o.row.recipient.channel].total_seconds())
                for o in outside
                # Not a platform's refusal (-230): sending again would be refused again.
                if o.row.outside
                and o.row.broadcast_id is None
                and o.row.recipient.channel in self.windows
            ],
        )

    async def _mark_blocked(self, tx: Transaction, now: str, blocked: list[Outcome]) -> None:
        marks = [
            (now, o.row.recipient.channel, o.row.recipient.external_id)
            for o in blocked
            if not o.row.kept
        ]
        # The reports count subscribers from this history: a citizen who
        # could be reached until now leaves it as "blocked".
        await tx.executemany(
            "INSERT INTO subscription_events (citizen_id, at, event)"
            " SELECT id, ?, 'blocked' FROM citizens"
            " WHERE channel = ? AND external_id = ? AND blocked = 0 AND subscribed = 1",
            marks,
        )
        await tx.executemany(
            "UPDATE citizens SET blocked = 1, updated_at = ?"
            " WHERE channel = ? AND external_id = ? AND blocked = 0",
            marks,
        )

    async def heard(self, recipient: Recipient) -> None:
        """Note that the person wrote or pressed a button now, where their channel has
        a window (one UPSERT; nothing on a channel without one).

        A write costs an fsync (about 10 ms on a loaded disk): someone heard
        from by this process less than `HEARD_EVERY` ago is not written again.
        A window of hours closing that much early changes nothing.
        """
        if recipient.channel not in self.windows:
            return
        now = self._clock.now().timestamp()
        last = self._heard.get(recipient)
        if last is not None and 0 <= now - last < HEARD_EVERY:
            return
        await self._db.execute(
            "INSERT INTO last_heard (channel, external_id, at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, external_id) DO UPDATE SET at = excluded.at",
            (recipient.channel, recipient.external_id, now),
        )
        if len(self._heard) >= 10_000:  # a memory bound; the database stays the truth
            self._heard.clear()
        self._heard[recipient] = now

    async def forget(self, recipient: Recipient) -> int:
        """Erase what the outbox keeps about the person beyond the rows' counts: when
        they last wrote, and the text of notifications held for them by the window
        (they no longer wait: the text is gone). Returns how many texts were erased.

        Their next message is noted afresh (`heard`), whenever it comes.
        """
        key = (recipient.channel, recipient.external_id)
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM last_heard WHERE channel = ? AND external_id = ?", key)
            await tx.execute(
                "UPDATE outbox SET message = NULL WHERE state = 'outside' AND broadcast_id IS NULL"
                " AND channel = ? AND external_id = ? AND message IS NOT NULL",
                key,
            )
            row = await tx.fetchone("SELECT changes()")
        self._heard.pop(recipient, None)
        return int(row[0]) if row else 0

    async def wake(self, recipient: Recipient) -> int:
        """Someone wrote to the bot: send what waited for them now; returns how many rows.

        Called on every update, so a read decides first, and only a person
        with waiting rows costs a write. Notifications held back by the
        window are queued again, after a line saying how many answers waited.
        """
        key = (recipient.channel, recipient.external_id)
        waiting = await self._db.scalar(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE refusals > 0 AND channel = ?"
            " AND external_id = ? AND state = 'pending' AND not_before IS NOT NULL)"
            f" OR EXISTS ({_HELD} AND channel = ? AND external_id = ?)",
            key * 2,
        )
        if not waiting:
            return 0
        async with self._db.transaction() as tx:
            await tx.execute(_WAKE, key)
            row = await tx.fetchone("SELECT changes()")
            woken = (int(row[0]) if row else 0) + await self._requeue_held(tx, recipient)
        self.on_enqueue()
        return woken

    async def _requeue_held(self, tx: Transaction, recipient: Recipient) -> int:
        """Queue the person's held notifications again, in order, after the notice.

        They are moved (new rows, the old deleted) rather than changed, so the
        notice, queued first, also goes first: a chat's rows go by id.
        """
        key = (recipient.channel, recipient.external_id)
        held = await tx.fetchall(f"{_HELD_ROWS} ORDER BY id", key)
        if not held:
            return 0
        texts = sum(1 for r in held if not OutgoingMessage.from_json(r["message"]).attachment)
        person = await tx.fetchone(_PERSON, key * 2)
        with use_language(person[0] if person else "vi"):
            notice = window.waiting_notice(max(texts, 1), officer=bool(person and person[1]))
        now = self._now()
        await tx.executemany(
            "INSERT INTO outbox (channel, external_id, message, created_at) VALUES (?, ?, ?, ?)",
            [(*key, m, now) for m in (notice.to_json(), *(r["message"] for r in held))],
        )
        await tx.executemany("DELETE FROM outbox WHERE id = ?", [(r["id"],) for r in held])
        return len(held) + 1

    async def outside_now(self, recipient: Recipient) -> bool:
        """Whether a message to the person now falls outside their channel's window."""
        limit = self.windows.get(recipient.channel)
        if limit is None:
            return False
        return window.outside(await self.heard_at(recipient), self._clock.now().timestamp(), limit)

    async def heard_at(self, recipient: Recipient) -> float | None:
        """When the person last wrote (Unix time), where their channel has a window."""
        heard = await self._db.scalar(
            "SELECT at FROM last_heard WHERE channel = ? AND external_id = ?",
            (recipient.channel, recipient.external_id),
        )
        return None if heard is None else float(heard)

    async def outside_of(self, select: str, params: Mapping[str, object]) -> int:
        """How many of the people `select` lists (channel, external_id) are outside
        their channel's window now: a broadcast would not be sent to them."""
        if not self.windows:
            return 0
        now = self._clock.now().timestamp()
        named: dict[str, object] = {}
        terms = []
        for i, (name, limit) in enumerate(self.windows.items()):
            named[f"_window{i}"], named[f"_since{i}"] = name, now - limit.total_seconds()
            # As `window.outside`: never heard from, or longer ago than the window.
            terms.append(f"(r.channel = :_window{i} AND (h.at IS NULL OR h.at < :_since{i}))")
        return int(
            await self._db.scalar(
                f"SELECT COUNT(*) FROM ({select}) r LEFT JOIN last_heard h"
                f" ON h.channel = r.channel AND h.external_id = r.external_id WHERE {' OR '.join(terms)}",
                {**params, **named},
            )
        )

    async def held(self, recipient: Recipient) -> int:
        """How many notifications wait for the person to write (held by the window)."""
        return int(
            await self._db.scalar(
                f"SELECT COUNT(*) FROM ({_HELD} AND channel = ? AND external_id = ?)",
                (recipient.channel, recipient.external_id),
            )
        )

    async def unreachable(self) -> dict[Recipient, Unreachable]:
        """Officers and groups whose latest refused message is still waiting or gave up.

        Someone reached since (a later message sent) is not listed.
        """
        rows = await self._db.fetchall(_UNREACHABLE)
        return {
            Recipient(r["channel"], r["external_id"]): Unreachable(
                since=r["refused_at"] or 0.0, waiting=r["waiting"], reason=r["error"] or ""
            )
            for r in rows
        }

    async def pause(self, channel: str, reason: str) -> bool:
        """Note that `channel` is down; True if it was not already paused."""
        now = time.time()
        async with self._db.transaction() as tx:
            known = await tx.fetchone("SELECT 1 FROM delivery_pauses WHERE channel = ?", (channel,))
            await tx.execute(
                "INSERT INTO delivery_pauses (channel, since, reason, checked_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (channel) DO UPDATE SET"
                " reason = excluded.reason, checked_at = excluded.checked_at",
                (channel, now, reason[:500], now),
            )
        return known is None

    async def resume(self, channel: str) -> None:
        await self._db.execute("DELETE FROM delivery_pauses WHERE channel = ?", (channel,))

    async def pauses(self) -> list[Pause]:
        rows = await self._db.fetchall(
            "SELECT channel, since, reason, checked_at FROM delivery_pauses ORDER BY channel"
        )
        return [Pause(r[0], r[1], r[2], r[3]) for r in rows]

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

    def _claimed(self, r: sqlite3.Row) -> OutboxRow:
        row = _claimed(r)
        limit = self.windows.get(row.recipient.channel)
        if limit is None or not window.outside(r["heard_at"], self._clock.now().timestamp(), limit):
            return row
        return replace(row, outside=True)


# A row is kept (never marked blocked) when it is a notification to an
# active officer or to someone who is not a citizen (a group).
_CLAIM = (
    "SELECT o.id, o.broadcast_id, o.channel, o.external_id, o.message, o.attempts,"
    " o.refusals, o.refused_at, COALESCE(c.blocked, 0) AS blocked, h.at AS heard_at,"
    " o.broadcast_id IS NULL AND (c.id IS NULL OR EXISTS (SELECT 1 FROM officers f"
    "  WHERE f.channel = o.channel AND f.external_id = o.external_id AND f.active = 1)) AS kept"
    " FROM outbox o"
    " LEFT JOIN citizens c ON c.channel = o.channel AND c.external_id = o.external_id"
    " LEFT JOIN last_heard h ON h.channel = o.channel AND h.external_id = o.external_id"
    " WHERE o.state = 'pending' AND (o.not_before IS NULL OR o.not_before <= ?){where}"
    " ORDER BY o.id LIMIT ?"
)
_WAKE = (
    "UPDATE outbox SET not_before = NULL WHERE refusals > 0 AND channel = ?"
    " AND external_id = ? AND state = 'pending' AND not_before IS NOT NULL"
)
# Notifications (not broadcasts) held back by a window until their person writes.
_HELD = (
    "SELECT 1 FROM outbox WHERE state = 'outside' AND broadcast_id IS NULL AND message IS NOT NULL"
)
_HELD_ROWS = (
    "SELECT id, message FROM outbox WHERE state = 'outside' AND broadcast_id IS NULL"
    " AND channel = ? AND external_id = ? AND message IS NOT NULL"
)
# Their language, and whether they are an officer (whose held messages are
# cases and reminders, not answers); an officer who is also a citizen is one.
_PERSON = (
    "SELECT language, 0 AS officer FROM citizens WHERE channel = ? AND external_id = ?"
    " UNION ALL SELECT language, 1 FROM officers WHERE channel = ? AND external_id = ?"
    " AND active = 1 ORDER BY officer DESC LIMIT 1"
)
_UNREACHABLE = (
    "SELECT o.channel, o.external_id, o.refused_at, o.error,"
    " (SELECT COUNT(*) FROM outbox w WHERE w.refusals > 0 AND w.channel = o.channel"
    "  AND w.external_id = o.external_id AND w.state = 'pending') AS waiting"
    " FROM outbox o JOIN (SELECT channel, external_id, MAX(id) AS id FROM outbox"
    "  WHERE refusals > 0 GROUP BY channel, external_id) last ON last.id = o.id"
    " WHERE o.state IN ('pending', 'failed') AND NOT EXISTS (SELECT 1 FROM outbox s"
    "  WHERE s.channel = o.channel AND s.external_id = o.external_id AND s.id > o.id"
    "  AND s.state = 'sent')"
)


def _claimed(r: sqlite3.Row) -> OutboxRow:
    kept = bool(r["kept"])
    return OutboxRow(
        id=r["id"],
        broadcast_id=r["broadcast_id"],
        recipient=Recipient(r["channel"], r["external_id"]),
        message=OutgoingMessage.from_json(r["message"]) if r["message"] else None,
        attempts=r["attempts"],
        blocked=bool(r["blocked"]) and not kept,
        kept=kept,
        refusals=r["refusals"],
        refused_at=r["refused_at"],
    )


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
