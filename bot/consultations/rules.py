"""The rules of a consultation, as pure functions: who may answer, when, what passes.

Table-tested in tests/unit/test_consultation_rules.py. The repository applies
the same checks inside the transaction that stores an answer, so a rule
decided here cannot be raced past.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.consultations.model import (
    CHOICE_TYPES,
    Consultation,
    Kind,
    Question,
    QuestionType,
    State,
    Voter,
)
from bot.core.i18n import N_
from bot.outreach.audience import ALL, TOPICS, VILLAGES, Audience

MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_QUESTIONS = 10
YESNO_LABELS = (N_("Agree"), N_("Disagree"), N_("Abstain"))
REMINDER_LEAD = timedelta(days=1)  # the reminder goes out a day before closing


class ConsultationError(Exception):
    """What cannot be done; `text` is a message id to translate and show."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


NOT_FOUND = N_("There is no such consultation.")
NOT_YET_OPEN = N_("This consultation is not open yet.")
CLOSED = N_("This consultation is closed; answers are no longer taken.")
CANCELLED = N_("This consultation was cancelled.")
NOT_IN_AUDIENCE = N_("This consultation is for other citizens, so you cannot answer it.")
NOT_SUBSCRIBED = N_("Only subscribed citizens can answer. Send /start to subscribe again.")
NOT_REPRESENTATIVE = N_(
    "Only household representatives answer household decisions. "
    "You can declare that you represent your household in /settings."
)
OTHER_VILLAGE = N_("Your household is in another village, so you cannot answer this decision.")
ANSWER_FIRST = N_("Please choose an option first; then you can add a comment.")
BAD_OPTION = N_("This option does not exist.")
FEW_OPTIONS = N_("A consultation needs between 2 and 8 options.")
BAD_CLOSING = N_("The closing time must be after the opening time and in the future.")
HOUSEHOLD_BY_VILLAGE = N_(
    "A household decision is taken by villages: choose everyone or villages, not topics."
)
NO_HOUSEHOLD_COUNT = N_(
    "The number of households of a village is not set in the commune's settings."
)
NO_QUESTION = N_("A consultation needs at least one question, and at most 10.")
EMPTY_QUESTION = N_("Each question needs its text.")
ONE_QUESTION = N_(
    "Only a consultation on a draft asks several questions or free comments; "
    "a vote or a household decision asks one question with options."
)
NO_COMMENT = N_("There is no such comment.")
NOT_PUBLIC = N_(
    "The comments of this consultation are not public, so they are not answered publicly."
)
EMPTY_RESPONSE = N_("Please write the answer.")
ALREADY_CASE = N_("This comment is already a case.")
AUTHOR_GONE = N_("The author of this comment can no longer be reached, so it cannot become a case.")
NOT_OPEN = N_("Only an open consultation can be closed or extended.")
NOT_LATER = N_("The new closing time must be later than the current one.")


def voter_key(kind: Kind, voter: Voter) -> str:
    """The one key an answer is stored under: the citizen, or their household."""
    if kind is Kind.HOUSEHOLD:
        if voter.household is None:
            raise ConsultationError(NOT_REPRESENTATIVE)
        return f"h:{voter.household.id}"
    return f"c:{voter.citizen_id}"


def answer_refusal(
    consultation: Consultation, voter: Voter, question: int, option: int, now: datetime
) -> str | None:
    """Why `voter` may not answer `option` of `question` now (a message id), or None."""
    timing = timing_refusal(consultation, now)
    if timing is not None:
        return timing
    if not 0 <= question < len(consultation.questions):
        return BAD_OPTION
    asked = consultation.questions[question]
    if asked.type is not QuestionType.COMMENT and not 0 <= option < len(asked.options):
        return BAD_OPTION
    if not voter.subscribed or voter.blocked:
        return NOT_SUBSCRIBED
    if not consultation.audience.addresses(voter.village_id, voter.topics):
        return NOT_IN_AUDIENCE
    if consultation.kind is Kind.HOUSEHOLD:
        if voter.household is None:
            return NOT_REPRESENTATIVE
        if not consultation.audience.addresses(voter.household.village_id, ()):
            return OTHER_VILLAGE
    return None


def timing_refusal(consultation: Consultation, now: datetime) -> str | None:
    """Why nobody may answer at `now`: not open yet, closed or cancelled; else None."""
    if consultation.state is State.CANCELLED:
        return CANCELLED
    if consultation.state is State.CLOSED:
        return CLOSED
    if consultation.state is State.DRAFT:
        return NOT_YET_OPEN
    if consultation.opens_at is not None and now < consultation.opens_at:
        return NOT_YET_OPEN
    if consultation.closes_at is not None and now >= consultation.closes_at:
        return CLOSED
    return None


def majority(households: int) -> int:
    """The fewest households that are "more than half" of `households`."""
    return households // 2 + 1


def decided_option(kind: Kind, totals: Sequence[int], eligible: int) -> int | None:
    """The option that carries, or None.

    A household decision passes only with more than half of all the
    village's households (not of those who answered); a poll or an opinion
    goes to the option with most answers, and a tie carries nothing.
    """
    if not totals:
        return None
    best = max(range(len(totals)), key=lambda i: totals[i])
    if kind is Kind.HOUSEHOLD:
        return best if eligible > 0 and totals[best] >= majority(eligible) else None
    if totals[best] == 0 or list(totals).count(totals[best]) > 1:
        return None
    return best


def households_in(audience: Audience, households: Mapping[str, int | None]) -> int:
    """The households a household decision counts, from the villages' settings."""
    if audience.kind == TOPICS:
        raise ConsultationError(HOUSEHOLD_BY_VILLAGE)
    villages = list(households) if audience.kind == ALL else list(audience.ids)
    counts = [households.get(v) for v in villages]
    if not counts or any(c is None for c in counts):
        raise ConsultationError(NO_HOUSEHOLD_COUNT)
    return sum(c for c in counts if c is not None)


def check_questions(kind: Kind, questions: Sequence[Question]) -> None:
    """Refuse questions that cannot be answered: none, empty, too few or many options."""
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ConsultationError(NO_QUESTION)
    if kind is not Kind.OPINION and (len(questions) > 1 or questions[0].type not in CHOICE_TYPES):
        raise ConsultationError(ONE_QUESTION)
    for question in questions:
        if not question.text.strip():
            raise ConsultationError(EMPTY_QUESTION)
        wanted = question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE)
        options = [o for o in question.options if o.strip()]
        if wanted and not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
            raise ConsultationError(FEW_OPTIONS)


def check_new(
    kind: Kind,
    audience: Audience,
    questions: Sequence[Question],
    opens_at: datetime,
    closes_at: datetime,
    now: datetime,
) -> None:
    """Refuse a consultation that could not be answered fairly."""
    check_questions(kind, questions)
    if closes_at <= max(opens_at, now):
        raise ConsultationError(BAD_CLOSING)
    if kind is Kind.HOUSEHOLD and audience.kind not in (ALL, VILLAGES):
        raise ConsultationError(HOUSEHOLD_BY_VILLAGE)


def check_extension(consultation: Consultation, closes_at: datetime, now: datetime) -> None:
    """An open consultation may only be given more time, ending in the future."""
    if consultation.state is not State.OPEN:
        raise ConsultationError(NOT_OPEN)
    current = consultation.closes_at
    if (current is not None and closes_at <= current) or closes_at <= now:
        raise ConsultationError(NOT_LATER)


def is_due(consultation: Consultation, now: datetime) -> bool:
    """Whether an open consultation has reached its closing time."""
    return (
        consultation.state is State.OPEN
        and consultation.closes_at is not None
        and now >= consultation.closes_at
    )


def reminder_due(consultation: Consultation, now: datetime) -> bool:
    """Whether the one reminder, a day before closing, should go out now."""
    if consultation.state is not State.OPEN or consultation.reminded_at is not None:
        return False
    if consultation.closes_at is None or now >= consultation.closes_at:
        return False
    remind_at = consultation.closes_at - REMINDER_LEAD
    # A consultation shorter than the lead has just been announced: no reminder.
    if consultation.opens_at is not None and consultation.opens_at >= remind_at:
        return False
    return now >= remind_at
