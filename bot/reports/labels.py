"""Every figure of a report as a labelled row, and how its value is written.

The Word tables, the CSV and the citizens' /stats all read these rows, so a
figure is named and counted the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from babel import numbers

from bot.core.dates import short_date
from bot.core.i18n import N_, _, current_language, format_date
from bot.reports.figures import Counts, ReportFigures
from bot.reports.period import Period, PeriodKind

COUNT, PERCENT, DAYS, RATING = "count", "percent", "days", "rating"
NO_DATA = N_("no data recorded")
NONE_ARISEN = N_("none arisen")
ROMAN = ("", "I", "II", "III", "IV")

AREAS = (
    "subscribers",
    "broadcasts",
    "cases",
    "faq",
    "duties",
    "consultations",
    "dialogues",
    "reception",
)
AREA_TITLES = {
    "subscribers": N_("Citizens subscribed to the commune's announcements"),
    "broadcasts": N_("Announcements and outreach news sent"),
    "cases": N_("Questions, feedback and petitions received and handled"),
    "faq": N_("Questions answered at once by the FAQ"),
    "duties": N_("Citizen reception and periodic duties"),
    "consultations": N_("Consultations and votes of citizens"),
    "dialogues": N_("Dialogues and voter meetings"),
    "reception": N_("Citizens received at the reception days"),
}
AREA_SHORT = {
    "subscribers": N_("subscribers"),
    "broadcasts": N_("announcements"),
    "cases": N_("questions, feedback and petitions"),
    "faq": N_("the FAQ"),
    "duties": N_("citizen reception and duties"),
    "consultations": N_("consultations"),
    "dialogues": N_("dialogues and voter meetings"),
    "reception": N_("citizen reception bookings"),
}


@dataclass(frozen=True)
class Metric:
    """A figure of an area: id, English label id, how to read it, how to write it."""

    id: str
    label: str
    value: Callable[[Any], int | float | None]
    kind: str = COUNT
    optional: bool = False  # shown only when not zero (a figure few communes have)

    def shown(self, figures: Any) -> bool:
        return not self.optional or bool(self.value(figures))


METRICS: dict[str, tuple[Metric, ...]] = {
    "subscribers": (
        Metric("total", N_("Subscribed at the end of the period"), lambda f: f.total),
        Metric("new", N_("New subscribers"), lambda f: f.new),
        Metric("returned", N_("Subscribed again"), lambda f: f.returned),
        Metric("unsubscribed", N_("Stopped the announcements"), lambda f: f.unsubscribed),
        Metric("blocked", N_("Blocked the bot"), lambda f: f.blocked),
    ),
    "broadcasts": (
        Metric("count", N_("Announcements sent"), lambda f: f.count),
        Metric("recipients", N_("Messages to citizens"), lambda f: f.recipients),
        Metric("delivered", N_("Messages delivered"), lambda f: f.delivered),
        Metric(
            "outside_window",
            N_("Not sent: outside Zalo's messaging window"),
            lambda f: f.outside_window,
            optional=True,
        ),
        Metric("delivery_rate", N_("Delivery rate"), lambda f: f.delivery_rate, PERCENT),
    ),
    "cases": (
        Metric("received", N_("Cases received"), lambda f: f.received),
        Metric("accepted", N_("Cases accepted for handling"), lambda f: f.accepted),
        Metric("answered", N_("Answered"), lambda f: f.answered),
        Metric("resolved", N_("Cases resolved"), lambda f: f.resolved),
        Metric("transferred", N_("Referred to the competent body"), lambda f: f.transferred),
        Metric("overdue", N_("Past the deadline at the end of the period"), lambda f: f.overdue),
        Metric("on_time", N_("Handled on time"), lambda f: f.on_time),
        Metric("late", N_("Handled late"), lambda f: f.late),
        Metric("share_on_time", N_("Share handled on time"), lambda f: f.share_on_time, PERCENT),
        Metric(
            "median_working_days",
            N_("Median handling time"),
            lambda f: f.median_working_days,
            DAYS,
        ),
        Metric("satisfaction", N_("Average satisfaction"), lambda f: f.satisfaction, RATING),
        Metric("ratings", N_("Ratings given"), lambda f: f.ratings),
    ),
    "faq": (
        Metric("asked", N_("Questions asked"), lambda f: f.asked),
        Metric("answered_at_once", N_("Answered at once"), lambda f: f.answered_at_once),
        Metric("unanswered", N_("Found no answer in the FAQ"), lambda f: f.unanswered),
        Metric(
            "sent_to_officers",
            N_("Not answered, sent to the officers"),
            lambda f: f.sent_to_officers,
        ),
    ),
    "duties": (
        Metric(
            "reception_days_held",
            N_("Citizen-reception days held"),
            lambda f: f.reception_days_held,
        ),
        Metric(
            "reception_days_due", N_("Citizen-reception days due"), lambda f: f.reception_days_due
        ),
        Metric("done_on_time", N_("Duties done on time"), lambda f: f.done_on_time),
        Metric("done_late", N_("Duties done late"), lambda f: f.done_late),
        Metric("overdue", N_("Duties overdue"), lambda f: f.overdue),
    ),
    "consultations": (
        Metric("held", N_("Consultations held"), lambda f: f.held),
        Metric("answered", N_("Answers counted"), lambda f: f.answered),
        Metric("eligible", N_("Could answer"), lambda f: f.eligible),
        Metric("turnout", N_("Turnout"), lambda f: f.turnout, PERCENT),
    ),
    "dialogues": (
        Metric("held", N_("Dialogues and voter meetings held"), lambda f: f.held),
        Metric("questions", N_("Questions received before them"), lambda f: f.questions),
        Metric("answered", N_("Questions answered"), lambda f: f.answered),
    ),
    "reception": (
        Metric("days_held", N_("Reception days with citizens recorded"), lambda f: f.days_held),
        Metric("received", N_("Citizens received"), lambda f: f.received),
        Metric("received_booked", N_("Received with a booking"), lambda f: f.received_booked),
        Metric("received_walk_in", N_("Received without a booking"), lambda f: f.received_walk_in),
        Metric("no_shows", N_("Booked and did not come"), lambda f: f.no_shows),
        Metric("outcomes", N_("Outcomes recorded"), lambda f: f.outcomes),
        Metric("cases_opened", N_("Cases opened from a reception"), lambda f: f.cases_opened),
    ),
}

BREAKDOWNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # area -> (attribute, title, heading of the first column)
    "subscribers": (("by_village", N_("Subscribers by village"), N_("Village")),),
    "broadcasts": (("by_kind", N_("Announcements by kind"), N_("Kind")),),
    "consultations": (("by_kind", N_("Consultations by kind"), N_("Kind")),),
    "dialogues": (("by_kind", N_("Meetings by kind"), N_("Kind")),),
    "cases": (
        ("by_kind", N_("Received by kind"), N_("Kind")),
        ("by_topic", N_("Received by topic"), N_("Topic")),
        ("by_village", N_("Received by village"), N_("Village")),
    ),
}


@dataclass(frozen=True)
class Row:
    """One figure as the CSV holds it: area, metric, breakdown key, label, value."""

    area: str
    metric: str
    key: str
    label: str
    value: int | float | None


def area_figures(report: ReportFigures, area: str) -> Any:
    return getattr(report, area)


def figure_rows(report: ReportFigures) -> list[Row]:
    """Every figure of the report, labels in the current language; `no_data` for a missing area."""
    rows: list[Row] = []
    for area in AREAS:
        figures = area_figures(report, area)
        if figures is None:
            rows.append(Row(area, "no_data", "", _(NO_DATA), None))
            continue
        for metric in (m for m in METRICS[area] if m.shown(figures)):
            rows.append(Row(area, metric.id, "", _(metric.label), metric.value(figures)))
        for attribute, _title, _heading in BREAKDOWNS.get(area, ()):
            counts: Counts = getattr(figures, attribute)
            rows += [Row(area, attribute, c.key, _(c.label), c.value) for c in counts]
    return rows


def fmt_count(value: int) -> str:
    return numbers.format_decimal(value, locale=current_language())


def fmt_value(value: int | float | None, kind: str = COUNT) -> str:
    """A figure as people read it; None (nothing to divide or average) is "none arisen"."""
    if value is None:
        return _(NONE_ARISEN)
    language = current_language()
    if kind == PERCENT:
        return numbers.format_percent(value, "#,##0.#%", locale=language)
    if kind == DAYS:
        days = numbers.format_decimal(value, "#,##0.#", locale=language)
        return _("{days} working days").format(days=days)
    if kind == RATING:
        return _("{rating}/5").format(rating=numbers.format_decimal(value, "0.0", locale=language))
    return fmt_count(int(value))


def describe_period(period: Period) -> str:
    """The period in words: "tháng 3 năm 2026", "quý III năm 2026"..."""
    year = period.year
    if period.kind is PeriodKind.MONTH:
        # Babel names the month: "tháng 3" in Vietnamese, "March" in English.
        month = format_date(period.first_day, "MMMM")
        return _("{month_name} {year}").format(month_name=month, year=year)
    if period.kind is PeriodKind.QUARTER:
        return _("quarter {quarter} of {year}").format(quarter=ROMAN[period.number], year=year)
    if period.kind is PeriodKind.HALF:
        if period.number == 1:
            return _("the first six months of {year}").format(year=year)
        return _("the last six months of {year}").format(year=year)
    if period.kind is PeriodKind.YEAR:
        return _("the year {year}").format(year=year)
    return _("from {first} to {last}").format(
        first=short_date(period.first_day), last=short_date(period.last_day)
    )


def last_day_counted(report: ReportFigures) -> date:
    """The last day the figures cover: the period's last, or today while it runs."""
    return (report.as_of - timedelta(microseconds=1)).astimezone(report.period.tz).date()


def month_label(period: Period) -> str:
    """A short month name for chart axes: 03/2026."""
    return f"{period.first_day.month:02d}/{period.first_day.year}"
