"""Legal deadlines in working days, Tết and other holidays included (counted by hand)."""

from datetime import date

import pytest

from bot.cases.config import DeadlineRules
from bot.cases.deadlines import due_date, is_overdue, working_days_left
from bot.cases.model import Kind
from bot.core.workdays import WorkCalendar

RULES = DeadlineRules()
REMOTE = DeadlineRules(remote_area=True)
CAL = WorkCalendar()
D = date


@pytest.mark.parametrize(
    ("kind", "received", "accepted", "rules", "complex_case", "extensions", "due"),
    [
        # Feedback: 10 working days from receipt, Monday to Monday two weeks on.
        (Kind.FEEDBACK, D(2026, 3, 2), None, RULES, False, 0, D(2026, 3, 16)),
        # Acceptance does not move a feedback's deadline.
        (Kind.FEEDBACK, D(2026, 3, 2), D(2026, 3, 5), RULES, False, 0, D(2026, 3, 16)),
        # Received the Friday before Tết 2026 (16-20 Feb off): counting resumes on the 23rd.
        (Kind.FEEDBACK, D(2026, 2, 13), None, RULES, False, 0, D(2026, 3, 6)),
        (Kind.PETITION, D(2026, 2, 14), None, RULES, False, 0, D(2026, 3, 6)),  # a Saturday
        (Kind.QUESTION, D(2026, 2, 18), None, RULES, False, 0, D(2026, 3, 6)),  # during Tết
        # Tết 2025 (27 Jan - 1 Feb) and New Year's Day 2026.
        (Kind.QUESTION, D(2025, 1, 24), None, RULES, False, 0, D(2025, 2, 14)),
        (Kind.PETITION, D(2025, 12, 31), None, RULES, False, 0, D(2026, 1, 15)),
        # Complaints: accept within 10 days of receipt, decide within 30 of acceptance...
        (Kind.COMPLAINT, D(2026, 2, 13), None, RULES, False, 0, D(2026, 3, 6)),
        (Kind.COMPLAINT, D(2026, 2, 13), D(2026, 3, 2), RULES, False, 0, D(2026, 4, 13)),
        # ...45 if complex, across Hùng Kings' day (27 Apr) and 30 Apr - 1 May.
        (Kind.COMPLAINT, D(2026, 2, 13), D(2026, 3, 2), RULES, True, 0, D(2026, 5, 7)),
        # Remote areas: 45, and 60 if complex.
        (Kind.COMPLAINT, D(2026, 2, 13), D(2026, 3, 2), REMOTE, False, 0, D(2026, 5, 7)),
        (Kind.COMPLAINT, D(2026, 2, 13), D(2026, 3, 2), REMOTE, True, 0, D(2026, 5, 28)),
        # Denunciations: 7 working days to accept, 30 to decide, +30 per extension (max 2).
        (Kind.DENUNCIATION, D(2026, 3, 2), None, RULES, False, 0, D(2026, 3, 11)),
        (Kind.DENUNCIATION, D(2026, 3, 2), D(2026, 3, 2), RULES, False, 0, D(2026, 4, 13)),
        (Kind.DENUNCIATION, D(2026, 3, 2), D(2026, 3, 2), RULES, False, 1, D(2026, 5, 28)),
        (Kind.DENUNCIATION, D(2026, 3, 2), D(2026, 3, 2), RULES, False, 2, D(2026, 7, 9)),
        # Configured otherwise: feedback in 5 days.
        (Kind.FEEDBACK, D(2026, 3, 2), None, DeadlineRules(feedback=5), False, 0, D(2026, 3, 9)),
    ],
)
def test_due_date(kind, received, accepted, rules, complex_case, extensions, due) -> None:
    assert (
        due_date(
            kind,
            received,
            rules,
            CAL,
            accepted=accepted,
            complex_case=complex_case,
            extensions=extensions,
        )
        == due
    )


def test_a_denunciation_is_extended_at_most_twice() -> None:
    with pytest.raises(ValueError):
        due_date(Kind.DENUNCIATION, D(2026, 3, 2), RULES, CAL, accepted=D(2026, 3, 2), extensions=3)


def test_days_left_and_overdue() -> None:
    assert working_days_left(CAL, D(2026, 2, 13), D(2026, 2, 24)) == 2  # Tết in between
    assert working_days_left(CAL, D(2026, 3, 17), D(2026, 3, 16)) == -1
    assert is_overdue(D(2026, 3, 17), D(2026, 3, 16)) and not is_overdue(
        D(2026, 3, 16), D(2026, 3, 16)
    )
