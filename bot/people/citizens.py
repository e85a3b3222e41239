"""Citizens who talk to the bot, and their subscription to outreach content."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient

SUBSCRIBED, UNSUBSCRIBED, BLOCKED = "subscribed", "unsubscribed", "blocked"


def subscription_event(before: tuple[bool, bool], after: tuple[bool, bool]) -> str | None:
    """The event that a change of (subscribed, blocked) makes, or None.

    Only a change of whether announcements reach the citizen is an event:
    blocking the bot after /stop, or /stop while it is blocked, changes nothing.
    """
    was_reachable = before[0] and not before[1]
    is_reachable = after[0] and not after[1]
    if was_reachable == is_reachable:
        return None
    if is_reachable:
        return SUBSCRIBED
    return BLOCKED if after[1] else UNSUBSCRIBED


@dataclass(frozen=True)
class Citizen:
    """A citizen as stored: who they are, where they live, what they follow."""

    id: int
    recipient: Recipient
    display_name: str
    language: str
    village_id: str | None
    topics: frozenset[str]
    subscribed: bool
    blocked: bool
    onboarded: bool
    created_at: datetime
    updated_at: datetime


class CitizenRepository:
    """Citizens in SQLite; every write stamps `updated_at`."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def get(self, recipient: Recipient) -> Citizen | None:
        row = await self._db.fetchone(
            "SELECT * FROM citizens WHERE channel = ? AND external_id = ?",
            (recipient.channel, recipient.external_id),
        )
        return None if row is None else await self._load(row)

    async def language_of(self, recipient: Recipient) -> str | None:
        """The citizen's language, or None for someone not a citizen: one read, no topics
        (every update asks it before anything else)."""
        found = await self._db.scalar(
            "SELECT language FROM citizens WHERE channel = ? AND external_id = ?",
            (recipient.channel, recipient.external_id),
        )
        return None if found is None else str(found)

    async def get_by_id(self, citizen_id: int) -> Citizen | None:
        row = await self._db.fetchone("SELECT * FROM citizens WHERE id = ?", (citizen_id,))
        return None if row is None else await self._load(row)

    async def create(
        self, recipient: Recipient, display_name: str, language: str, village_id: str | None
    ) -> Citizen:
        """Add a citizen, subscribed from the start (that is their first subscription event)."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO citizens (channel, external_id, display_name, language, village_id,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (channel, external_id) DO NOTHING",
                (
                    recipient.channel,
                    recipient.external_id,
                    display_name,
                    language,
                    village_id,
                    now,
                    now,
                ),
            )
            inserted = await tx.fetchone("SELECT changes(), last_insert_rowid()")
            if inserted is not None and inserted[0]:
                await _record_event(tx, inserted[1], SUBSCRIBED, now)
        citizen = await self.get(recipient)
        assert citizen is not None
        return citizen

    async def update(self, citizen_id: int, **fields: object) -> None:
        """Set columns of one citizen; names come from code, never from users.

        Whoever changes `subscribed` or `blocked` (onboarding, /stop, the
        outbox finding a blocked chat), the change of reachability lands in
        `subscription_events` in the same transaction, for the reports.
        """
        allowed = {"display_name", "language", "village_id", "subscribed", "blocked", "onboarded"}
        if not fields or not set(fields) <= allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        now = to_db(self._clock.now())
        state = "SELECT subscribed, blocked FROM citizens WHERE id = ?"
        async with self._db.transaction() as tx:
            before = await tx.fetchone(state, (citizen_id,))
            await tx.execute(
                f"UPDATE citizens SET {assignments}, updated_at = ? WHERE id = ?",
                (*fields.values(), now, citizen_id),
            )
            after = await tx.fetchone(state, (citizen_id,))
            if before is not None and after is not None:
                event = subscription_event(
                    (bool(before[0]), bool(before[1])), (bool(after[0]), bool(after[1]))
                )
                if event is not None:
                    await _record_event(tx, citizen_id, event, now)

    async def set_topics(self, citizen_id: int, topics: Iterable[str]) -> None:
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM citizen_topics WHERE citizen_id = ?", (citizen_id,))
            await tx.executemany(
                "INSERT INTO citizen_topics (citizen_id, topic_id) VALUES (?, ?)",
                [(citizen_id, topic) for topic in sorted(set(topics))],
            )
            await tx.execute(
                "UPDATE citizens SET updated_at = ? WHERE id = ?",
                (to_db(self._clock.now()), citizen_id),
            )

    async def count_subscribed_by_village(self) -> dict[str | None, int]:
        rows = await self._db.fetchall(
            "SELECT village_id, COUNT(*) FROM citizens"
            " WHERE subscribed = 1 AND blocked = 0 GROUP BY village_id"
        )
        return {row[0]: row[1] for row in rows}

    async def _load(self, row: sqlite3.Row) -> Citizen:
        topics = await self._db.fetchall(
            "SELECT topic_id FROM citizen_topics WHERE citizen_id = ?", (row["id"],)
        )
        return Citizen(
            id=row["id"],
            recipient=Recipient(row["channel"], row["external_id"]),
            display_name=row["display_name"],
            language=row["language"],
            village_id=row["village_id"],
            topics=frozenset(t[0] for t in topics),
            subscribed=bool(row["subscribed"]),
            blocked=bool(row["blocked"]),
            onboarded=bool(row["onboarded"]),
            created_at=from_db(row["created_at"]),
            updated_at=from_db(row["updated_at"]),
        )


async def _record_event(tx: Transaction, citizen_id: int, event: str, at: str) -> None:
    await tx.execute(
        "INSERT INTO subscription_events (citizen_id, at, event) VALUES (?, ?, ?)",
        (citizen_id, at, event),
    )
