"""FAQ figures for a period, from the query journal (the reports' `FaqSource`)."""

from __future__ import annotations

from bot.core.clock import to_db
from bot.core.db import Database
from bot.reports.figures import FaqFigures
from bot.reports.period import Period

# Answered at once: a confident answer the citizen did not reject.
# Unanswered: nothing matched, or the citizen said it was not what they asked.
_COUNTS = """
SELECT
    COUNT(CASE WHEN outcome = 'confident' AND COALESCE(feedback, '') != 'not_helpful' THEN 1 END),
    COUNT(CASE WHEN outcome = 'none' OR feedback = 'not_helpful' THEN 1 END)
FROM faq_queries WHERE at >= :start AND at < :end
"""


class FaqFiguresSource:
    """Counts how the FAQ served citizens; never reads what they asked."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def figures(self, period: Period) -> FaqFigures:
        row = await self._db.fetchone(
            _COUNTS, {"start": to_db(period.start), "end": to_db(period.end)}
        )
        assert row is not None
        return FaqFigures(answered_at_once=row[0], unanswered=row[1])
