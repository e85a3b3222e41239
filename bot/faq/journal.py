"""What citizens asked the FAQ, what they were shown and what they thought of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import Clock, to_db
from bot.core.db import Database
from bot.messaging.channels import Recipient

HELPFUL = "helpful"
NOT_HELPFUL = "not_helpful"


@dataclass(frozen=True)
class AskedQuestion:
    """One question a citizen typed, as logged."""

    id: int
    asker: Recipient
    text: str
    outcome: str
    entry_id: int | None
    feedback: str | None
    sent_code: str | None


@dataclass(frozen=True)
class Tally:
    """A question (or entry) and how often it came up."""

    text: str
    count: int


@dataclass(frozen=True)
class FaqStats:
    """Figures since a moment: how the FAQ served citizens, and where it failed them."""

    asked: int
    confident: int
    middling: int
    unanswered: int
    helpful: int
    not_helpful: int
    sent_to_officers: int
    top_unanswered: list[Tally]
    badly_answered: list[Tally]


class Journal:
    """The question log in SQLite."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self,
        asker: Recipient,
        text: str,
        folded: str,
        outcome: str,
        confidence: float,
        entry_id: int | None,
    ) -> int:
        return await self._db.execute(
            "INSERT INTO faq_queries (at, channel, external_id, text, folded, outcome,"
            " confidence, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_db(self._clock.now()),
                asker.channel,
                asker.external_id,
                text,
                folded,
                outcome,
                round(confidence, 3),
                entry_id,
            ),
        )

    async def get(self, query_id: int) -> AskedQuestion | None:
        row = await self._db.fetchone("SELECT * FROM faq_queries WHERE id = ?", (query_id,))
        if row is None:
            return None
        return AskedQuestion(
            id=row["id"],
            asker=Recipient(row["channel"], row["external_id"]),
            text=row["text"],
            outcome=row["outcome"],
            entry_id=row["entry_id"],
            feedback=row["feedback"],
            sent_code=row["sent_code"],
        )

    async def shown(self, query_id: int, entry_id: int) -> None:
        """The citizen picked one of the offered questions: its answer is what they judge."""
        await self._db.execute(
            "UPDATE faq_queries SET entry_id = ?, feedback = NULL WHERE id = ?",
            (entry_id, query_id),
        )

    async def feedback(self, query_id: int, verdict: str) -> None:
        await self._db.execute(
            "UPDATE faq_queries SET feedback = ?, feedback_at = ? WHERE id = ?",
            (verdict, to_db(self._clock.now()), query_id),
        )

    async def sent(self, query_id: int, code: str) -> None:
        await self._db.execute(
            "UPDATE faq_queries SET sent_code = ? WHERE id = ?", (code, query_id)
        )

    async def stats(self, since: datetime, limit: int = 5) -> FaqStats:
        start = to_db(since)
        row = await self._db.fetchone(
            "SELECT count(*) AS asked,"
            " coalesce(sum(outcome = 'confident'), 0) AS confident,"
            " coalesce(sum(outcome = 'middling'), 0) AS middling,"
            " coalesce(sum(outcome = 'none'), 0) AS unanswered,"
            " coalesce(sum(feedback = 'helpful'), 0) AS helpful,"
            " coalesce(sum(feedback = 'not_helpful'), 0) AS not_helpful,"
            " coalesce(sum(sent_code IS NOT NULL), 0) AS sent"
            " FROM faq_queries WHERE at >= ?",
            (start,),
        )
        assert row is not None
        # The same question typed differently folds alike: group on the folded text.
        unanswered = await self._db.fetchall(
            "SELECT max(text) AS text, count(*) AS n FROM faq_queries WHERE at >= ?"
            " AND (outcome = 'none' OR (feedback = 'not_helpful' AND entry_id IS NULL))"
            " GROUP BY folded ORDER BY n DESC, max(at) DESC LIMIT ?",
            (start, limit),
        )
        bad = await self._db.fetchall(
            "SELECT e.question AS text, count(*) AS n FROM faq_queries q"
            " JOIN faq_entries e ON e.id = q.entry_id WHERE q.at >= ?"
            " AND q.feedback = 'not_helpful' GROUP BY e.id ORDER BY n DESC LIMIT ?",
            (start, limit),
        )
        return FaqStats(
            asked=row["asked"],
            confident=row["confident"],
            middling=row["middling"],
            unanswered=row["unanswered"],
            helpful=row["helpful"],
            not_helpful=row["not_helpful"],
            sent_to_officers=row["sent"],
            top_unanswered=[Tally(r["text"], r["n"]) for r in unanswered],
            badly_answered=[Tally(r["text"], r["n"]) for r in bad],
        )
