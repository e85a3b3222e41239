"""The commune's public figures (công khai) as citizens read them with /stats."""

from __future__ import annotations

from bot.core.dates import short_date
from bot.core.i18n import _
from bot.reports.figures import ReportFigures
from bot.reports.labels import (
    NO_DATA,
    PERCENT,
    RATING,
    describe_period,
    fmt_count,
    fmt_value,
    last_day_counted,
)
from bot.reports.service import PublicStats


def stats_text(stats: PublicStats, commune: str) -> str:
    """This month, this year, and subscribers now; figures not recorded say so."""
    as_of = short_date(last_day_counted(stats.month))
    lines = [
        _("📊 Public figures of the People's Committee of {commune} commune").format(
            commune=commune
        ),
        _("(as of {date})").format(date=as_of),
        "",
        _period_block(stats.month),
        "",
        _period_block(stats.year),
        "",
    ]
    subscribers = stats.month.subscribers
    now = fmt_count(subscribers.total) if subscribers is not None else _(NO_DATA)
    lines.append(_("Citizens receiving the commune's announcements now: {count}").format(count=now))
    return "\n".join(lines)


def _period_block(report: ReportFigures) -> str:
    title = describe_period(report.period)
    lines = [title[:1].upper() + title[1:] + ":"]
    cases = report.cases
    if cases is None:
        lines.append(
            "• " + _("Questions, feedback and petitions: {no_data}").format(no_data=_(NO_DATA))
        )
        return "\n".join(lines)
    lines += [
        "• "
        + _("Questions, feedback and petitions received: {count}").format(
            count=fmt_count(cases.received)
        ),
        "• " + _("Answered: {count}").format(count=fmt_count(cases.answered)),
        "• " + _("Handled on time: {share}").format(share=fmt_value(cases.share_on_time, PERCENT)),
        "• "
        + _("Average satisfaction: {rating}").format(rating=fmt_value(cases.satisfaction, RATING)),
    ]
    return "\n".join(lines)
