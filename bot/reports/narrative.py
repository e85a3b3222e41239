"""A short narrative of the period, written from the figures (the officer reviews it)."""

from __future__ import annotations

from bot.core.i18n import _
from bot.reports.figures import (
    BroadcastFigures,
    CaseFigures,
    DutyFigures,
    FaqFigures,
    ReceptionFigures,
    ReportFigures,
    SubscriberFigures,
)
from bot.reports.labels import AREA_SHORT, AREAS, PERCENT, RATING, describe_period, fmt_count
from bot.reports.labels import fmt_value as fmt


def narrative(report: ReportFigures, commune: str) -> list[str]:
    """The paragraphs of the report's summary, one per area that has figures."""
    paragraphs = [
        _(
            "In the reporting period ({period}), the People's Committee of {commune} commune used the chatbot to "
            "inform citizens and to receive their questions, feedback and petitions. "
            "The main results are as follows."
        ).format(period=describe_period(report.period), commune=commune)
    ]
    if report.subscribers is not None:
        paragraphs.append(_subscribers(report.subscribers))
    if report.broadcasts is not None:
        paragraphs.append(_broadcasts(report.broadcasts))
    if report.cases is not None:
        paragraphs.append(_cases(report.cases))
    if report.faq is not None:
        paragraphs.append(_faq(report.faq))
    if report.duties is not None:
        paragraphs.append(_duties(report.duties))
    if report.reception is not None:
        paragraphs.append(_reception(report.reception))
    missing = [_(AREA_SHORT[a]) for a in AREAS if getattr(report, a) is None]
    if missing:
        paragraphs.append(
            _("No figures are recorded yet for: {areas}.").format(areas="; ".join(missing))
        )
    return paragraphs


def _subscribers(f: SubscriberFigures) -> str:
    return _(
        "At the end of the period {total} citizens received the commune's announcements "
        "through the chatbot: {new} subscribed for the first time, {returned} came back, "
        "{left} stopped receiving them."
    ).format(
        total=fmt_count(f.total),
        new=fmt_count(f.new),
        returned=fmt_count(f.returned),
        left=fmt_count(f.unsubscribed + f.blocked),
    )


def _broadcasts(f: BroadcastFigures) -> str:
    text = _(
        "{count} announcements were sent in {recipients} messages to citizens; "
        "the delivery rate was {rate}."
    ).format(
        count=fmt_count(f.count),
        recipients=fmt_count(f.recipients),
        rate=fmt(f.delivery_rate, PERCENT),
    )
    if f.outside_window:
        text += " " + _(
            "{outside} messages were not sent because the citizens had not written "
            "within Zalo's messaging window."
        ).format(outside=fmt_count(f.outside_window))
    return text


def _cases(f: CaseFigures) -> str:
    text = _(
        "{received} questions, feedback and petitions were received; {answered} were "
        "answered and {resolved} resolved, {transferred} transferred to the competent body. "
        "Share handled on time: {share}. Past the deadline at the end of the period: {overdue}."
    ).format(
        received=fmt_count(f.received),
        answered=fmt_count(f.answered),
        resolved=fmt_count(f.resolved),
        transferred=fmt_count(f.transferred),
        share=fmt(f.share_on_time, PERCENT),
        overdue=fmt_count(f.overdue),
    )
    if f.ratings:
        text += " " + _(
            "Citizens rated the answers {rating} on average ({ratings} ratings)."
        ).format(rating=fmt(f.satisfaction, RATING), ratings=fmt_count(f.ratings))
    return text


def _faq(f: FaqFigures) -> str:
    return _(
        "Citizens asked the FAQ {asked} questions: {at_once} were answered at once, "
        "{unanswered} found no answer; {sent} were sent on to the officers."
    ).format(
        asked=fmt_count(f.asked),
        at_once=fmt_count(f.answered_at_once),
        unanswered=fmt_count(f.unanswered),
        sent=fmt_count(f.sent_to_officers),
    )


def _duties(f: DutyFigures) -> str:
    return _(
        "Citizen-reception days held: {held} of {due}. Periodic duties done on time: "
        "{on_time}, done late: {late}, overdue: {overdue}."
    ).format(
        held=fmt_count(f.reception_days_held),
        due=fmt_count(f.reception_days_due),
        on_time=fmt_count(f.done_on_time),
        late=fmt_count(f.done_late),
        overdue=fmt_count(f.overdue),
    )


def _reception(f: ReceptionFigures) -> str:
    return _(
        "At the citizen reception days, {received} citizens were received ({booked} with a "
        "booking, {walk_in} without one) and {no_shows} booked and did not come; "
        "{outcomes} outcomes were recorded and {cases} cases opened from them."
    ).format(
        received=fmt_count(f.received),
        booked=fmt_count(f.received_booked),
        walk_in=fmt_count(f.received_walk_in),
        no_shows=fmt_count(f.no_shows),
        outcomes=fmt_count(f.outcomes),
        cases=fmt_count(f.cases_opened),
    )
