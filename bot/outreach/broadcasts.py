"""Broadcasts: compose a draft, count its audience, schedule or send, cancel, list."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.delivery import Progress
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Counts, Outbox
from bot.outreach.audience import Audience


class DraftGone(LookupError):
    """The draft was confirmed, cancelled or belongs to someone else."""


@dataclass(frozen=True)
class Broadcast:
    """A post to many citizens and where it stands."""

    id: int
    state: str  # draft | scheduled | sending | done | cancelled
    author: Recipient
    officer_id: int | None
    item_id: str | None
    message: OutgoingMessage | None
    topic_id: str | None
    audience: Audience
    send_at: datetime | None  # None: at once
    total: int
    progress_chat: str | None
    progress_message: str | None
    created_at: datetime
    finished_at: datetime | None


class Broadcasts:
    """The broadcast service; the outbox and the sender do the delivering."""

    def __init__(self, db: Database, clock: Clock, outbox: Outbox) -> None:
        self._db = db
        self._clock = clock
        self._outbox = outbox

    async def start_draft(self, author: Recipient, officer_id: int | None) -> Broadcast:
        """Open a fresh draft; the author's older drafts are dropped."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE broadcasts SET state = 'cancelled' WHERE state = 'draft'"
                " AND author_channel = ? AND author_id = ?",
                (author.channel, author.external_id),
            )
            draft_id = await tx.execute(
                "INSERT INTO broadcasts (author_channel, author_id, officer_id, created_at)"
                " VALUES (?, ?, ?, ?)",
                (author.channel, author.external_id, officer_id, self._now()),
            )
        return await self.draft(author, draft_id)

    async def draft(self, author: Recipient, draft_id: int) -> Broadcast:
        """The author's open draft `draft_id`, or DraftGone."""
        found = await self.get(draft_id)
        if found is None or found.state != "draft" or found.author != author:
            raise DraftGone(draft_id)
        return found

    async def update_draft(self, author: Recipient, draft_id: int, **fields: Any) -> Broadcast:
        """Set message, item_id, topic_id, audience or send_at of an open draft."""
        await self.draft(author, draft_id)
        values = {k: _column(k, v) for k, v in fields.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        await self._db.execute(
            f"UPDATE broadcasts SET {assignments} WHERE id = ? AND state = 'draft'",
            (*values.values(), draft_id),
        )
        return await self.draft(author, draft_id)

    async def count(self, audience: Audience) -> int:
        """How many citizens the audience reaches now: the preview's figure."""
        select, params = audience.sql()
        return int(await self._db.scalar(f"SELECT COUNT(*) FROM ({select})", params))

    async def outside(self, audience: Audience) -> int:
        """How many of them are outside their channel's window (Zalo OA): of the
        preview's figure, those it will not be sent to (`Outbox.outside_of`)."""
        select, params = audience.sql()
        return await self._outbox.outside_of(select, params)

    async def confirm(self, author: Recipient, draft_id: int) -> Broadcast:
        """Schedule the draft, or queue it at once when its time has come.

        The state check and change are one statement, so a second press of
        the confirm button (or a forged one) cannot send anything twice.
        """
        draft = await self.draft(author, draft_id)
        if draft.message is None:
            raise DraftGone(draft_id)
        if draft.send_at is not None and draft.send_at > self._clock.now():
            async with self._db.transaction() as tx:
                await tx.execute(
                    "UPDATE broadcasts SET state = 'scheduled' WHERE id = ? AND state = 'draft'",
                    (draft_id,),
                )
                if not await _changed(tx):
                    raise DraftGone(draft_id)
        else:
            await self._queue(draft_id, expected="draft")
        found = await self.get(draft_id)
        assert found is not None
        return found

    async def publish(
        self,
        author: Recipient,
        officer_id: int | None,
        message: OutgoingMessage,
        audience: Audience,
    ) -> int:
        """File a post in the /news archive of `audience` without sending it to anyone
        (e.g. a consultation's result, already told to those who took part)."""
        now = self._now()
        return await self._db.execute(
            "INSERT INTO broadcasts (state, author_channel, author_id, officer_id, message,"
            " audience, created_at, queued_at, finished_at)"
            " VALUES ('done', ?, ?, ?, ?, ?, ?, ?, ?)",
            (author.channel, author.external_id, officer_id, message.to_json(), str(audience),
             now, now, now),
        )  # fmt: skip

    async def _queue(self, broadcast_id: int, expected: str) -> bool:
        """Write a row per recipient and start sending; False if already done."""
        now = self._now()
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE broadcasts SET state = 'sending', queued_at = ? WHERE id = ? AND state = ?",
                (now, broadcast_id, expected),
            )
            if not await _changed(tx):
                return False
            row = await tx.fetchone("SELECT audience FROM broadcasts WHERE id = ?", (broadcast_id,))
            assert row is not None
            total = await self._outbox.enqueue_broadcast(tx, broadcast_id, Audience.parse(row[0]))
            await tx.execute(
                "UPDATE broadcasts SET total = ?, state = CASE WHEN ? = 0 THEN 'done' ELSE state END,"
                " finished_at = CASE WHEN ? = 0 THEN ? END WHERE id = ?",
                (total, total, total, now, broadcast_id),
            )
        self._outbox.on_enqueue()
        return True

    async def release_due(self) -> list[int]:
        """Queue every scheduled broadcast whose time has come; returns their ids.

        Also closes a broadcast whose last rows were sent just before a crash,
        so it does not stay "sending" with nothing left to send.
        """
        await self._db.execute(
            "UPDATE broadcasts SET state = 'done', finished_at = ? WHERE state = 'sending'"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.broadcast_id = broadcasts.id"
            " AND o.state IN ('pending', 'sending'))",
            (self._now(),),
        )
        rows = await self._db.fetchall(
            "SELECT id FROM broadcasts WHERE state = 'scheduled' AND send_at <= ? ORDER BY send_at",
            (self._now(),),
        )
        return [r[0] for r in rows if await self._queue(r[0], expected="scheduled")]

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a draft or a scheduled broadcast; one already sending cannot be."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE broadcasts SET state = 'cancelled'"
                " WHERE id = ? AND state IN ('draft', 'scheduled')",
                (broadcast_id,),
            )
            return await _changed(tx)

    async def on_progress(self, progress: Progress) -> None:
        """Close a broadcast once its last row is done (a Delivery listener)."""
        if progress.finished:
            await self._db.execute(
                "UPDATE broadcasts SET state = 'done', finished_at = ?"
                " WHERE id = ? AND state = 'sending'",
                (self._now(), progress.broadcast_id),
            )

    async def set_progress_message(self, broadcast_id: int, chat: str, message: str) -> None:
        await self._db.execute(
            "UPDATE broadcasts SET progress_chat = ?, progress_message = ? WHERE id = ?",
            (chat, message, broadcast_id),
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return None if row is None else _broadcast(row)

    async def scheduled(self) -> list[Broadcast]:
        rows = await self._db.fetchall(
            "SELECT * FROM broadcasts WHERE state = 'scheduled' ORDER BY send_at, id"
        )
        return [_broadcast(r) for r in rows]

    async def recent(self, limit: int = 10) -> list[tuple[Broadcast, Counts]]:
        """Past and current broadcasts, newest first, with their delivery figures."""
        rows = await self._db.fetchall(
            "SELECT * FROM broadcasts WHERE state IN ('sending', 'done')"
            " ORDER BY COALESCE(queued_at, created_at) DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [(_broadcast(r), await self._outbox.counts(r["id"])) for r in rows]

    def _now(self) -> str:
        return to_db(self._clock.now())


def _column(name: str, value: Any) -> Any:
    if name not in ("message", "item_id", "topic_id", "audience", "send_at"):
        raise ValueError(f"cannot set {name}")
    if isinstance(value, OutgoingMessage):
        return value.to_json()
    if isinstance(value, Audience):
        return str(value)
    if isinstance(value, datetime):
        return to_db(value)
    return value


async def _changed(tx: Any) -> bool:
    row = await tx.fetchone("SELECT changes()")
    return bool(row and row[0])


def _broadcast(row: sqlite3.Row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        state=row["state"],
        author=Recipient(row["author_channel"], row["author_id"]),
        officer_id=row["officer_id"],
        item_id=row["item_id"],
        message=OutgoingMessage.from_json(row["message"]) if row["message"] else None,
        topic_id=row["topic_id"],
        audience=Audience.parse(row["audience"]),
        send_at=from_db(row["send_at"]) if row["send_at"] else None,
        total=row["total"],
        progress_chat=row["progress_chat"],
        progress_message=row["progress_message"],
        created_at=from_db(row["created_at"]),
        finished_at=from_db(row["finished_at"]) if row["finished_at"] else None,
    )
