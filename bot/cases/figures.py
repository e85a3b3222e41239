"""Case figures for a period, from the cases table and its event log (the reports' `CaseSource`)."""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from bot.cases.model import KIND_NAMES, TOPIC_NAMES, Action, Kind, Topic
from bot.core.clock import Clock, from_db, to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.i18n import N_
from bot.core.workdays import WorkCalendar
from bot.duties.messages import DigestFigure
from bot.reports.figures import CaseFigures, Count
from bot.reports.period import Period
from bot.reports.subscribers import NOT_CHOSEN

_CLOSING = (Action.RESOLVED, Action.REJECTED, Action.TRANSFERRED)
# A case counts as handled at its first answer or closing, whichever comes first.
_HANDLING = (Action.ANSWERED, *_CLOSING)

_RECEIVED = (
    "SELECT kind, topic, village_id FROM cases WHERE received_at >= :start AND received_at < :end"
)

_ACTIONS_IN_PERIOD = """
SELECT action, COUNT(DISTINCT case_id) FROM case_events
WHERE at >= :start AND at < :end GROUP BY action
"""

_FIRST_HANDLED = f"""
SELECT c.received_at, c.due_on, MIN(e.at) AS handled_at FROM cases c
JOIN case_events e ON e.case_id = c.id
WHERE e.action IN ({", ".join(f"'{a.value}'" for a in _HANDLING)})
GROUP BY c.id HAVING handled_at >= :start AND handled_at < :end
"""

# Open at a moment: received before it, and its last closing or reopening
# event before that moment (if any) was a reopening.
_OPEN_AND_DUE_BEFORE = f"""
SELECT COUNT(*) FROM cases c
WHERE c.received_at < :as_of AND c.due_on < :today AND COALESCE((
    SELECT e.action FROM case_events e
    WHERE e.case_id = c.id AND e.at < :as_of
      AND e.action IN ({", ".join(f"'{a.value}'" for a in (*_CLOSING, Action.REOPENED))})
    ORDER BY e.at DESC, e.id DESC LIMIT 1
), 'reopened') = 'reopened'
"""

_RATINGS = "SELECT text FROM case_events WHERE action = 'rated' AND at >= :start AND at < :end"


class CaseFiguresSource:
    """Counts what citizens raised and how it was handled; no text of any case is read."""

    def __init__(
        self, db: Database, settings: Settings, clock: Clock, calendar: WorkCalendar | None = None
    ) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._calendar = calendar or WorkCalendar()

    async def figures(self, period: Period) -> CaseFigures:
        bounds = {"start": to_db(period.start), "end": to_db(period.end)}
        received = await self._db.fetchall(_RECEIVED, bounds)
        actions = {row[0]: row[1] for row in await self._db.fetchall(_ACTIONS_IN_PERIOD, bounds)}
        handled = await self._db.fetchall(_FIRST_HANDLED, bounds)
        as_of = min(period.end, self._clock.now())
        overdue = await self._db.scalar(
            _OPEN_AND_DUE_BEFORE,
            {"as_of": to_db(as_of), "today": as_of.astimezone(period.tz).date().isoformat()},
        )
        ratings = [int(row[0].split("/")[0]) for row in await self._db.fetchall(_RATINGS, bounds)]
        on_time, late, durations = self._timeliness(handled, period)
        return CaseFigures(
            by_kind=_counts([r["kind"] for r in received], [k.value for k in Kind], _kind_label),
            by_topic=_counts(
                [r["topic"] for r in received], [t.value for t in Topic], _topic_label
            ),
            by_village=self._villages([r["village_id"] for r in received]),
            accepted=actions.get(Action.ACCEPTED, 0),
            answered=actions.get(Action.ANSWERED, 0),
            resolved=actions.get(Action.RESOLVED, 0),
            transferred=actions.get(Action.TRANSFERRED, 0),
            overdue=int(overdue or 0),
            on_time=on_time,
            late=late,
            median_working_days=statistics.median(durations) if durations else None,
            satisfaction=round(statistics.fmean(ratings), 2) if ratings else None,
            ratings=len(ratings),
        )

    def _timeliness(self, handled: list[sqlite3.Row], period: Period) -> tuple[int, int, list[int]]:
        on_time = late = 0
        durations: list[int] = []
        for row in handled:
            received_at, due_on, handled_at = row[0], row[1], row[2]
            received_day = _local_day(from_db(received_at), period)
            handled_day = _local_day(from_db(handled_at), period)
            if handled_day <= date.fromisoformat(due_on):
                on_time += 1
            else:
                late += 1
            durations.append(self._calendar.working_days_between(received_day, handled_day))
        return on_time, late, durations

    def _villages(self, villages: list[str | None]) -> tuple[Count, ...]:
        counts = Counter(villages)
        rows = [Count(v.id, v.name, counts.pop(v.id, 0)) for v in self._settings.villages]
        missing = counts.pop(None, 0)
        rows += [Count(k, k, n) for k, n in sorted(counts.items()) if k]
        return (*rows, Count("", NOT_CHOSEN, missing)) if missing else tuple(rows)


def _local_day(moment: datetime, period: Period) -> date:
    return moment.astimezone(period.tz).date()


def _kind_label(key: str) -> str:
    return KIND_NAMES[Kind(key)]


def _topic_label(key: str) -> str:
    return TOPIC_NAMES[Topic(key)]


def _counts(values: list[str], order: list[str], label: Callable[[str], str]) -> tuple[Count, ...]:
    """Every known key in order, zeros included, so tables keep their shape."""
    counts = Counter(values)
    return tuple(Count(key, label(key), counts.get(key, 0)) for key in order)


_WEEK = """
SELECT
    (SELECT COUNT(*) FROM cases WHERE received_at >= :start AND received_at < :end),
    (SELECT COUNT(DISTINCT case_id) FROM case_events
     WHERE action = 'answered' AND at >= :start AND at < :end),
    (SELECT COUNT(*) FROM cases WHERE due_on < :today
     AND status NOT IN ('resolved', 'rejected', 'transferred'))
"""


class CaseDigestSource:
    """The cases lines of the chairman's weekly digest (duties' `DigestSource`)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._tz = settings.timezone

    async def weekly_figures(self, start: datetime, end: datetime) -> list[DigestFigure]:
        row = await self._db.fetchone(
            _WEEK,
            {
                "start": to_db(start),
                "end": to_db(end),
                "today": end.astimezone(self._tz).date().isoformat(),
            },
        )
        assert row is not None
        return [
            DigestFigure(N_("Cases received this week"), row[0]),
            DigestFigure(N_("Cases answered this week"), row[1]),
            DigestFigure(N_("Cases overdue now"), row[2]),
        ]
