"""Citizen reception figures for the periodic report: days held, citizens received, no-shows."""

from __future__ import annotations

from datetime import timedelta

from bot.core.db import Database
from bot.reports.figures import ReceptionFigures
from bot.reports.period import Period

# Counted by the reception day (the commune's date) falling in the period. A
# day is held when someone was received or expected on it and it was not
# cancelled; outcomes are those recorded in a sentence by the officer.
_FIGURES = """
SELECT
  COUNT(DISTINCT CASE WHEN state IN ('received', 'no_show') THEN day END) AS days_held,
  SUM(state = 'received' AND walk_in = 0) AS received_booked,
  SUM(state = 'received' AND walk_in = 1) AS received_walk_in,
  SUM(state = 'no_show') AS no_shows,
  SUM(outcome != '') AS outcomes,
  SUM(outcome_case_id IS NOT NULL) AS cases_opened
FROM reception_bookings
WHERE day >= :first AND day < :end
"""


class ReceptionFiguresSource:
    """Implements the reports' `ReceptionSource`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def figures(self, period: Period) -> ReceptionFigures:
        bounds = {
            "first": period.first_day.isoformat(),
            "end": (period.last_day + timedelta(days=1)).isoformat(),
        }
        row = await self._db.fetchone(_FIGURES, bounds)
        values = [int(v or 0) for v in row] if row is not None else [0] * 6
        return ReceptionFigures(*values)
