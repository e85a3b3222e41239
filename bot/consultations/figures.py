"""Consultation figures for the periodic report: held in the period, answers, turnout."""

from __future__ import annotations

from bot.consultations.model import Kind
from bot.consultations.notices import KIND_NAMES
from bot.core.clock import to_db
from bot.core.db import Database
from bot.reports.figures import ConsultationFigures, Count
from bot.reports.period import Period

# A consultation counts in the period it closed; its answers are the voters
# who answered online (any question; erased ones included, anonymised) plus
# the paper ballots of its first question. Who could answer: the households
# of a household decision; otherwise the audience on the bot plus those who
# voted on paper (not on the bot).
_CLOSED = """
SELECT kind, answered,
       eligible + CASE WHEN kind = 'household' THEN 0 ELSE paper END AS eligible
FROM (SELECT k.kind, k.eligible,
             (SELECT COALESCE(SUM(p.count), 0) FROM consultation_paper p
              WHERE p.consultation_id = k.id AND p.question = 0) AS paper,
             (SELECT COUNT(DISTINCT a.voter) FROM consultation_answers a
              WHERE a.consultation_id = k.id)
             + (SELECT COALESCE(SUM(p.count), 0) FROM consultation_paper p
                WHERE p.consultation_id = k.id AND p.question = 0) AS answered
      FROM consultations k
      WHERE k.state = 'closed' AND k.closed_at >= :start AND k.closed_at < :end)
"""


class ConsultationFiguresSource:
    """Implements the reports' `ConsultationSource`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def figures(self, period: Period) -> ConsultationFigures:
        rows = await self._db.fetchall(
            _CLOSED, {"start": to_db(period.start), "end": to_db(period.end)}
        )
        return ConsultationFigures(
            by_kind=tuple(
                Count(k.value, KIND_NAMES[k], sum(1 for r in rows if r["kind"] == k)) for k in Kind
            ),
            answered=sum(r["answered"] for r in rows),
            eligible=sum(r["eligible"] for r in rows),
        )
