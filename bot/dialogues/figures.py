"""Dialogue figures for the periodic report: meetings held, questions received, answered."""

from __future__ import annotations

from bot.core.clock import Clock, to_db
from bot.core.db import Database
from bot.dialogues.model import Kind
from bot.dialogues.notices import KIND_NAMES
from bot.reports.figures import Count, DialogueFigures
from bot.reports.period import Period

# A meeting counts as held in the period its date falls in, once that date has
# passed and unless it was cancelled; questions count when they came, answers
# when they were recorded.
_HELD = """
SELECT kind, COUNT(*) FROM dialogues
WHERE state IN ('open', 'finished') AND starts_at >= :start AND starts_at < :end
  AND starts_at <= :now
GROUP BY kind
"""
_QUESTIONS = """
SELECT (SELECT COUNT(*) FROM dialogue_questions WHERE asked_at >= :start AND asked_at < :end),
       (SELECT COUNT(*) FROM dialogue_questions
        WHERE answered_at >= :start AND answered_at < :end)
"""


class DialogueFiguresSource:
    """Implements the reports' `DialogueSource`."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def figures(self, period: Period) -> DialogueFigures:
        params = {
            "start": to_db(period.start),
            "end": to_db(period.end),
            "now": to_db(self._clock.now()),
        }
        held = {row[0]: row[1] for row in await self._db.fetchall(_HELD, params)}
        row = await self._db.fetchone(_QUESTIONS, params)
        questions, answered = (row[0], row[1]) if row else (0, 0)
        return DialogueFigures(
            by_kind=tuple(Count(k.value, KIND_NAMES[k], held.get(k.value, 0)) for k in Kind),
            questions=questions,
            answered=answered,
        )
