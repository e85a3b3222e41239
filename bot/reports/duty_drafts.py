"""The draft report that a reporting duty's reminder carries (duties' `ReminderAttachments`)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.duties.calendar import Duty
from bot.duties.repository import Period as DutyPeriod
from bot.messaging.messages import Attachment
from bot.reports.period import (
    Period,
    PeriodError,
    half_period,
    month_period,
    quarter_period,
    year_period,
)
from bot.reports.service import ReportService

log = logging.getLogger(__name__)


def covered_period(kind: str, due: date, tz: ZoneInfo) -> Period:
    """The month, quarter, half year or year a report due on `due` covers: the one it falls in."""
    if kind == "month":
        return month_period(due.year, due.month, tz)
    if kind == "quarter":
        return quarter_period(due.year, (due.month - 1) // 3 + 1, tz)
    if kind == "half_year":
        return half_period(due.year, 1 if due.month <= 6 else 2, tz)
    if kind == "year":
        return year_period(due.year, tz)
    raise PeriodError(f"no report period {kind!r}")


class DraftReports:
    """Builds the draft into `folder` at most once a day per period, and attaches it."""

    def __init__(self, reports: ReportService, folder: Path, clock: Clock, tz: ZoneInfo) -> None:
        self._reports = reports
        self._clock = clock
        self._folder = folder
        self._tz = tz
        self._built: dict[tuple[str, date], Attachment] = {}

    async def for_period(self, duty: Duty, period: DutyPeriod) -> Attachment | None:
        if duty.report is None:
            return None
        covered = covered_period(duty.report, period.due.astimezone(self._tz).date(), self._tz)
        today = self._clock.now().astimezone(self._tz).date()
        cached = self._built.get((covered.key, today))
        if cached is not None:
            return cached
        try:
            files = await self._reports.build(covered)
        except PeriodError as exc:  # e.g. a period not begun: the reminder goes bare
            log.warning("no draft report for duty %s: %s", duty.id, exc)
            return None
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._folder / f"{files.stem}.docx"
        path.write_bytes(files.docx)
        attachment = Attachment("document", str(path), filename=path.name)
        self._built = {k: v for k, v in self._built.items() if k[1] == today}
        self._built[(covered.key, today)] = attachment
        return attachment
