"""FAQ figures for a period, from the query journal (the reports' `FaqSource`)."""

from __future__ import annotations

from bot.core.clock import to_db
from bot.core.db import Database
from bot.reports.figures import FaqFigures
from bot.reports.period import Period

# Questions citizens asked in the period (officers' tries are not logged), and
# of those: answered at once (a confident answer the citizen did not reject);
# found no answer (nothing matched, or the citizen said it was not what they
# asked); sent on to the officers (the citizen pressed "send to the officers",
# whatever the FAQ had offered: the case's code is kept on the question).
_COUNTS = """
SELECT
    COUNT(*),
    COUNT(CASE WHEN outcome = 'confident' AND COALESCE(feedback, '') != 'not_helpful' THEN 1 END),
    COUNT(CASE WHEN outcome = 'none' OR feedback = 'not_helpful' THEN 1 END),
    COUNT(sent_code)
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
        return FaqFigures(
            asked=row[0], answered_at_once=row[1], unanswered=row[2], sent_to_officers=row[3]
        )
