"""SQL over what other features keep tied to a person: FAQ questions, outbox rows, public answers.

The feature modules own these tables; erasure and retention only blank or
detach columns that name or describe a person, never delete a row, so every
count the reports compute stays what it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import from_db, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient

# A notification's text is needed only until the outbox is done with it.
DELIVERED = "state IN ('sent', 'failed', 'blocked')"
SINGLE = "broadcast_id IS NULL"
# faq_queries.channel and external_id are NOT NULL: a detached question keeps
# empty ones, which match no person.
DETACHED = ""
# Shorter digit runs could match unrelated numbers in a message.
MIN_PHONE = 8


@dataclass(frozen=True)
class Questions:
    """What a person asked the FAQ: how many, and the latest texts."""

    count: int
    latest: list[str]


@dataclass(frozen=True)
class Messages:
    """What the bot sent a person on its own initiative."""

    notifications: int  # single messages: case updates, reminders
    with_text: int  # of those, the ones whose text is still stored
    announcements: int  # broadcast rows (they hold no text of their own)


class PersonalRecords:
    """Reads and erases a person's traces in the FAQ journal, the outbox and public answers."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def questions(self, who: Recipient, latest: int = 5) -> Questions:
        key = (who.channel, who.external_id)
        count = await self._db.scalar(
            "SELECT COUNT(*) FROM faq_queries WHERE channel = ? AND external_id = ?", key
        )
        rows = await self._db.fetchall(
            "SELECT text FROM faq_queries WHERE channel = ? AND external_id = ?"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (*key, latest),
        )
        return Questions(int(count or 0), [row[0] for row in rows])

    async def messages(self, who: Recipient) -> Messages:
        row = await self._db.fetchone(
            f"SELECT COUNT(CASE WHEN {SINGLE} THEN 1 END),"
            f" COUNT(CASE WHEN {SINGLE} AND message IS NOT NULL THEN 1 END),"
            f" COUNT(CASE WHEN NOT {SINGLE} THEN 1 END)"
            " FROM outbox WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        assert row is not None
        return Messages(row[0], row[1], row[2])

    async def public_answer_codes(self, who: Recipient) -> list[str]:
        """Codes of the person's cases with an answer made public (anonymised)."""
        rows = await self._db.fetchall(
            "SELECT DISTINCT c.code FROM public_answers p JOIN cases c ON c.id = p.case_id"
            " WHERE p.status = 'published' AND c.reporter_channel = ?"
            " AND c.reporter_external_id = ? ORDER BY c.code",
            (who.channel, who.external_id),
        )
        return [row[0] for row in rows]

    async def subscription_history(self, citizen_id: int) -> list[tuple[datetime, str]]:
        rows = await self._db.fetchall(
            "SELECT at, event FROM subscription_events WHERE citizen_id = ? ORDER BY at, id",
            (citizen_id,),
        )
        return [(from_db(row[0]), row[1]) for row in rows]

    async def erase(self, who: Recipient, phones: Sequence[str] = ()) -> tuple[int, int]:
        """Detach the person's FAQ questions and blank delivered notifications about them.

        Those are the notifications addressed to the person, and those sent to
        officers that carry one of `phones` (a new case's card shows the phone
        the citizen gave). Returns (questions detached, notification texts
        erased). Rows still waiting in the outbox keep their text: they have
        yet to be delivered.
        """
        key = (who.channel, who.external_id)
        blank = f"UPDATE outbox SET message = NULL WHERE {SINGLE} AND {DELIVERED} AND message IS NOT NULL"
        async with self._db.transaction() as tx:
            await tx.execute(
                "UPDATE faq_queries SET channel = ?, external_id = ?"
                " WHERE channel = ? AND external_id = ?",
                (DETACHED, DETACHED, *key),
            )
            questions = await _changes(tx)
            await tx.execute(f"{blank} AND channel = ? AND external_id = ?", key)
            texts = await _changes(tx)
            for phone in {p for p in phones if len(p) >= MIN_PHONE}:
                await tx.execute(f"{blank} AND instr(message, ?) > 0", (phone,))
                texts += await _changes(tx)
        return questions, texts

    async def purge_wal(self) -> None:
        """Take what was just erased off the disk (see `Database.purge_wal`)."""
        await self._db.purge_wal()

    async def expire_notification_texts(self, before: datetime) -> int:
        """Blank the text of single notifications delivered before `before`; returns how many."""
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE outbox SET message = NULL WHERE {SINGLE} AND {DELIVERED}"
                " AND message IS NOT NULL AND done_at < ?",
                (to_db(before),),
            )
            return await _changes(tx)


async def _changes(tx: Transaction) -> int:
    row = await tx.fetchone("SELECT changes()")
    return int(row[0]) if row else 0
