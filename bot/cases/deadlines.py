"""Legal deadlines in working days: pure functions of dates, rules and a calendar.

A day "within N days of receipt" is the N-th working day after the day of
receipt; a case received on a weekend or during Tết starts counting at the
first working day after it.
"""

from __future__ import annotations

from datetime import date

from bot.cases.config import DeadlineRules
from bot.cases.model import Kind
from bot.core.workdays import WorkCalendar

MAX_EXTENSIONS = 2  # Law on Denunciations 2018, art. 30


def allowed_days(
    kind: Kind,
    rules: DeadlineRules,
    *,
    accepted: bool = False,
    complex_case: bool = False,
    extensions: int = 0,
) -> int:
    """How many working days the law allows for the next step of a case."""
    if not 0 <= extensions <= MAX_EXTENSIONS:
        raise ValueError(f"a denunciation is extended at most {MAX_EXTENSIONS} times")
    if kind is Kind.QUESTION:
        return rules.question
    if kind is Kind.FEEDBACK:
        return rules.feedback
    if kind is Kind.PETITION:
        return rules.petition
    if kind is Kind.COMPLAINT:
        if not accepted:
            return rules.complaint_accept
        if rules.remote_area:
            return rules.complaint_remote_complex if complex_case else rules.complaint_remote
        return rules.complaint_complex if complex_case else rules.complaint
    if not accepted:
        return rules.denunciation_accept
    return rules.denunciation + extensions * rules.denunciation_extension


def due_date(
    kind: Kind,
    received: date,
    rules: DeadlineRules,
    calendar: WorkCalendar,
    *,
    accepted: date | None = None,
    complex_case: bool = False,
    extensions: int = 0,
) -> date:
    """The last day for the next step: acceptance, or the decision once accepted.

    Questions, feedback and petitions count from receipt whether accepted or
    not; complaints and denunciations count from acceptance once accepted.
    """
    days = allowed_days(
        kind,
        rules,
        accepted=accepted is not None,
        complex_case=complex_case,
        extensions=extensions,
    )
    start = accepted if accepted is not None and kind.formal else received
    return calendar.add_working_days(start, days)


def working_days_left(calendar: WorkCalendar, today: date, due: date) -> int:
    """Working days from today to the due day; negative once overdue."""
    return calendar.working_days_between(today, due)


def is_overdue(today: date, due: date) -> bool:
    return today > due
