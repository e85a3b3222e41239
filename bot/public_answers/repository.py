"""Public answers in SQLite: previews, publications and withdrawals."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.cases.model import Kind, Topic
from bot.core.clock import from_db, to_db
from bot.core.db import Database, Transaction


class State(StrEnum):
    PREVIEW = "preview"  # shown to an officer, not yet public
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PublicAnswer:
    """One answer as citizens read it: no identity, a village and a month only."""

    id: int
    case_id: int
    answer_event_id: int
    kind: Kind
    topic: Topic
    village_id: str | None
    month: str  # YYYY-MM
    summary: str
    answer: str
    state: State
    revision: int
    published_at: datetime | None


@dataclass(frozen=True)
class Draft:
    """What a preview is made of."""

    case_id: int
    answer_event_id: int
    kind: Kind
    topic: Topic
    village_id: str | None
    month: str
    summary: str
    answer: str


class PublicAnswerRepository:
    """One row per answer event; state changes are checked inside their transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def prepare(self, draft: Draft, officer_id: int, now: datetime) -> PublicAnswer | None:
        """Store a new preview of the answer; None if the answer is public already."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT status FROM public_answers WHERE answer_event_id = ?",
                (draft.answer_event_id,),
            )
            if row is not None and row["status"] == State.PUBLISHED:
                return None
            await tx.execute(
                "INSERT INTO public_answers (case_id, answer_event_id, kind, topic, village_id,"
                " month, summary, answer, status, prepared_by, prepared_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'preview', ?, ?)"
                " ON CONFLICT (answer_event_id) DO UPDATE SET summary = excluded.summary,"
                " answer = excluded.answer, status = 'preview', revision = revision + 1,"
                " prepared_by = excluded.prepared_by, prepared_at = excluded.prepared_at",
                (
                    draft.case_id,
                    draft.answer_event_id,
                    draft.kind.value,
                    draft.topic.value,
                    draft.village_id,
                    draft.month,
                    draft.summary,
                    draft.answer,
                    officer_id,
                    to_db(now),
                ),
            )
        return await self.by_answer(draft.answer_event_id)

    async def rewrite(self, entry_id: int, summary: str) -> bool:
        """Replace a preview's summary (a new revision); False if it is no longer a preview."""
        async with self.db.transaction() as tx:
            if not await _in_state(tx, entry_id, State.PREVIEW):
                return False
            await tx.execute(
                "UPDATE public_answers SET summary = ?, revision = revision + 1 WHERE id = ?",
                (summary, entry_id),
            )
        return True

    async def publish(self, entry_id: int, revision: int, officer_id: int, now: datetime) -> bool:
        """Make that revision of the preview public; False if it is not the current preview."""
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT status, revision FROM public_answers WHERE id = ?", (entry_id,)
            )
            if row is None or row["status"] != State.PREVIEW or row["revision"] != revision:
                return False
            await tx.execute(
                "UPDATE public_answers SET status = 'published', published_by = ?,"
                " published_at = ?, withdrawn_by = NULL, withdrawn_at = NULL WHERE id = ?",
                (officer_id, to_db(now), entry_id),
            )
        return True

    async def discard(self, entry_id: int) -> bool:
        """Drop a preview nobody confirmed; False if it is not a preview."""
        async with self.db.transaction() as tx:
            if not await _in_state(tx, entry_id, State.PREVIEW):
                return False
            await tx.execute("DELETE FROM public_answers WHERE id = ?", (entry_id,))
        return True

    async def withdraw(self, entry_id: int, officer_id: int, now: datetime) -> bool:
        """Hide a published answer from citizens; False if it is not published."""
        async with self.db.transaction() as tx:
            if not await _in_state(tx, entry_id, State.PUBLISHED):
                return False
            await tx.execute(
                "UPDATE public_answers SET status = 'withdrawn', withdrawn_by = ?,"
                " withdrawn_at = ? WHERE id = ?",
                (officer_id, to_db(now), entry_id),
            )
        return True

    async def get(self, entry_id: int) -> PublicAnswer | None:
        row = await self.db.fetchone("SELECT * FROM public_answers WHERE id = ?", (entry_id,))
        return None if row is None else _entry(row)

    async def by_answer(self, answer_event_id: int) -> PublicAnswer | None:
        row = await self.db.fetchone(
            "SELECT * FROM public_answers WHERE answer_event_id = ?", (answer_event_id,)
        )
        return None if row is None else _entry(row)

    async def topic_counts(self) -> dict[Topic, int]:
        rows = await self.db.fetchall(
            "SELECT topic, COUNT(*) FROM public_answers WHERE status = 'published' GROUP BY topic"
        )
        return {Topic(r[0]): r[1] for r in rows}

    async def published(
        self, topic: Topic | None, offset: int, limit: int
    ) -> tuple[list[PublicAnswer], int]:
        """A slice of the published answers (of a topic), newest first, and how many there are."""
        where, params = "status = 'published'", []
        if topic is not None:
            where, params = where + " AND topic = ?", [topic.value]
        total = await self.db.scalar(f"SELECT COUNT(*) FROM public_answers WHERE {where}", params)
        rows = await self.db.fetchall(
            f"SELECT * FROM public_answers WHERE {where}"
            " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_entry(r) for r in rows], int(total)


async def _in_state(tx: Transaction, entry_id: int, state: State) -> bool:
    row = await tx.fetchone("SELECT status FROM public_answers WHERE id = ?", (entry_id,))
    return row is not None and row["status"] == state


def _entry(row: sqlite3.Row) -> PublicAnswer:
    return PublicAnswer(
        id=row["id"],
        case_id=row["case_id"],
        answer_event_id=row["answer_event_id"],
        kind=Kind(row["kind"]),
        topic=Topic(row["topic"]),
        village_id=row["village_id"],
        month=row["month"],
        summary=row["summary"],
        answer=row["answer"],
        state=State(row["status"]),
        revision=row["revision"],
        published_at=from_db(row["published_at"]) if row["published_at"] else None,
    )
