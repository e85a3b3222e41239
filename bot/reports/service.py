"""Compose figure sources into a report (Word, CSV, charts) and the public figures."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.core.clock import Clock
from bot.core.config import ConfigError, Settings, nfc
from bot.core.db import Database
from bot.core.i18n import use_language
from bot.reports.charts import (
    Chart,
    NoChart,
    cases_by_month,
    report_charts,
    subscribers_by_month,
)
from bot.reports.csv_report import report_rows, to_csv
from bot.reports.figures import FigureSources, MonthFigures, ReportFigures
from bot.reports.period import (
    Period,
    PeriodError,
    month_of,
    parse_period,
    previous_month,
    range_period,
    year_of,
)
from bot.reports.subscribers import SubscriberFiguresSource

if TYPE_CHECKING:  # python-docx (a tenth of a second to import) loads only to write a report
    from bot.reports.decree_form import Letterhead

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
# /stats is public: anyone may send it often, so its figures are reused this long.
STATS_TTL = timedelta(minutes=10)
# Matplotlib's font machinery is not documented as thread-safe: one render at a time.
_RENDER_LOCK = threading.Lock()


def connected_sources(db: Database, settings: Settings, clock: Clock) -> FigureSources:
    """The figure sources of this build: plug each feature's source in here.

    A source counts states "at the end of the period" (overdue cases and
    duties) at `min(period.end, clock.now())`, hence the clock.
    """
    # Features import the reports' figure types, so their sources load here, late.
    from bot.cases.figures import CaseFiguresSource
    from bot.consultations.figures import ConsultationFiguresSource
    from bot.dialogues.figures import DialogueFiguresSource
    from bot.duties.figures import DutyFiguresSource
    from bot.faq.figures import FaqFiguresSource
    from bot.outreach.figures import BroadcastFiguresSource
    from bot.reception.figures import ReceptionFiguresSource

    return FigureSources(
        subscribers=SubscriberFiguresSource(db, settings),
        broadcasts=BroadcastFiguresSource(db),
        cases=CaseFiguresSource(db, settings, clock),
        faq=FaqFiguresSource(db),
        duties=DutyFiguresSource.from_settings(db, settings, clock),
        consultations=ConsultationFiguresSource(db),
        dialogues=DialogueFiguresSource(db, clock),
        reception=ReceptionFiguresSource(db),
    )


class PeriodNotStarted(PeriodError):
    """A report was asked for a period that has not begun."""


@dataclass(frozen=True)
class ReportOptions:
    """The `[reports]` section of config.toml."""

    signer: str = ""
    recipients: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> ReportOptions:
        section = settings.section("reports")
        unknown = sorted(set(section) - {"signer", "recipients"})
        if unknown:
            raise ConfigError(f"[reports] {unknown[0]}", "unknown setting")
        signer = section.get("signer", "")
        if not isinstance(signer, str):
            raise ConfigError("[reports] signer", "must be text: the chairman's name")
        recipients = section.get("recipients", [])
        if not isinstance(recipients, list) or not all(
            isinstance(r, str) and r.strip() for r in recipients
        ):
            raise ConfigError("[reports] recipients", "must be a list of non-empty texts")
        return cls(nfc(signer.strip()), tuple(nfc(r.strip()) for r in recipients))


@dataclass(frozen=True)
class ReportFiles:
    """A built report: its figures and the files to send."""

    figures: ReportFigures
    docx: bytes
    csv: bytes
    charts: tuple[Chart, ...]
    missing_charts: tuple[NoChart, ...] = ()  # too little data: the report says so

    @property
    def stem(self) -> str:
        return "bao-cao-" + self.figures.period.key.replace("..", "_")


@dataclass(frozen=True)
class PublicStats:
    """What citizens see with /stats: this month and this year so far."""

    month: ReportFigures
    year: ReportFigures
    chart: Chart | None


class ReportService:
    """Figures for any period from the connected sources, and the outputs made of them."""

    def __init__(
        self,
        sources: FigureSources,
        settings: Settings,
        clock: Clock,
        options: ReportOptions | None = None,
    ) -> None:
        self._sources = sources
        self._settings = settings
        self._clock = clock
        self.options = options or ReportOptions.from_settings(settings)
        self._stats: dict[str, tuple[datetime, PublicStats]] = {}

    def parse(self, text: str) -> Period:
        tz = self._settings.timezone
        return parse_period(text, tz, today=self._clock.now().astimezone(tz).date())

    def default_period(self) -> Period:
        """The last whole month: what a monthly report covers."""
        return previous_month(self._clock.now(), self._settings.timezone)

    async def collect(self, period: Period, *, trend: bool = True) -> ReportFigures:
        """Every connected area's figures for `period`, cut at today if it is still running."""
        now = self._clock.now()
        if period.start > now:
            raise PeriodNotStarted(f"the period {period.key} has not started yet")
        counted = self._so_far(period)
        # The charts cover exactly the period: its months that have begun.
        months = [m for m in period.months() if m.start <= now] if trend else []
        return ReportFigures(
            period=period,
            as_of=min(period.end, now),
            subscribers=await _maybe(self._sources.subscribers, counted),
            broadcasts=await _maybe(self._sources.broadcasts, counted),
            cases=await _maybe(self._sources.cases, counted),
            faq=await _maybe(self._sources.faq, counted),
            duties=await _maybe(self._sources.duties, counted),
            consultations=await _maybe(self._sources.consultations, counted),
            dialogues=await _maybe(self._sources.dialogues, counted),
            reception=await _maybe(self._sources.reception, counted),
            trend=tuple([await self._month(m) for m in months]),
        )

    async def build(self, period: Period) -> ReportFiles:
        """The Word report, its CSV and charts, in Vietnamese (rendered off the event loop)."""
        from bot.reports.decree_form import Letterhead  # python-docx: see the imports

        figures = await self.collect(period)
        head = Letterhead(
            commune=self._settings.commune_name,
            issued=self._clock.now().astimezone(self._settings.timezone).date(),
            signer=self.options.signer,
            recipients=self.options.recipients,
        )
        return await asyncio.to_thread(_render, figures, head)

    async def public_stats(self, language: str) -> PublicStats:
        """This month's and this year's figures so far, and a chart of the year by month.

        Computed at most once per `STATS_TTL` and language: a commune of
        100,000 subscribers takes seconds, and citizens may ask at will.
        """
        now, tz = self._clock.now(), self._settings.timezone
        cached = self._stats.get(language)
        if cached and now - cached[0] < STATS_TTL and cached[1].month.period.contains(now):
            return cached[1]
        month = await self.collect(month_of(now, tz), trend=False)
        year = await self.collect(year_of(now, tz), trend=False)
        months = [await self._month(m) for m in year.period.months() if m.start <= now]
        chart = await asyncio.to_thread(_stats_chart, months, language)
        self._stats[language] = (now, PublicStats(month, year, chart))
        return self._stats[language][1]

    def _so_far(self, period: Period) -> Period:
        """The period as the sources count it: up to the end of today if it is running."""
        now = self._clock.now()
        if period.end <= now:
            return period
        today = now.astimezone(period.tz).date()
        return range_period(period.first_day, min(today, period.last_day), period.tz)

    async def _month(self, month: Period) -> MonthFigures:
        counted = self._so_far(month)
        return MonthFigures(
            month=month,
            subscribers=await _maybe(self._sources.subscribers, counted),
            cases=await _maybe(self._sources.cases, counted),
        )


class _Source(Protocol[T_co]):
    async def figures(self, period: Period) -> T_co: ...


async def _maybe(source: _Source[T] | None, period: Period) -> T | None:
    """The source's figures, or None (shown as "no data recorded") when it is not connected."""
    return None if source is None else await source.figures(period)


def _render(figures: ReportFigures, head: Letterhead) -> ReportFiles:
    from bot.reports.docx_report import build_docx  # python-docx: see the imports

    with _RENDER_LOCK, use_language("vi"):
        charts, missing = report_charts(figures.trend)
        document = build_docx(figures, charts, head, missing)
        table = to_csv(report_rows(figures))
    return ReportFiles(figures, document, table, tuple(charts), tuple(missing))


def _stats_chart(months: list[MonthFigures], language: str) -> Chart | None:
    """The year's cases by month, else its subscribers; None while a month is all there is."""
    with _RENDER_LOCK, use_language(language):
        for draw in (cases_by_month, subscribers_by_month):
            drawn = draw(months)
            if isinstance(drawn, Chart):
                return drawn
        return None
