"""Consultation rules, as tables: who may answer, households, majority, closing, extension."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.consultations import rules
from bot.consultations.model import (
    Consultation,
    Household,
    Kind,
    Question,
    QuestionType,
    State,
    Voter,
)
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
OPEN = Consultation(
    id=1,
    kind=Kind.POLL,
    state=State.OPEN,
    title="Đường",
    summary="",
    questions=(Question(QuestionType.SINGLE, "Làm đường?", ("Đồng ý", "Không")),),
    audience=Audience("village", ("dong-tam",)),
    opens_at=NOW - timedelta(days=3),
    closes_at=NOW + timedelta(days=3),
    eligible=10,
    author=Recipient("cli", "operator"),
    officer_id=None,
    broadcast_id=None,
    created_at=NOW - timedelta(days=3),
)
HOUSE = Household(7, 1, "Hộ ông A", "xóm 2", "dong-tam")
VOTER = Voter(1, "dong-tam", subscribed=True, blocked=False)
REP = replace(VOTER, household=HOUSE)


@pytest.mark.parametrize(
    ("consultation", "voter", "option", "now", "refusal"),
    [
        (OPEN, VOTER, 0, NOW, None),
        (OPEN, VOTER, 1, NOW, None),
        (OPEN, VOTER, 2, NOW, rules.BAD_OPTION),
        (OPEN, VOTER, 0, NOW + timedelta(days=3), rules.CLOSED),  # at the closing minute
        (OPEN, VOTER, 0, NOW - timedelta(days=4), rules.NOT_YET_OPEN),
        (replace(OPEN, state=State.CLOSED), VOTER, 0, NOW, rules.CLOSED),
        (replace(OPEN, state=State.CANCELLED), VOTER, 0, NOW, rules.CANCELLED),
        (replace(OPEN, state=State.DRAFT), VOTER, 0, NOW, rules.NOT_YET_OPEN),
        (OPEN, replace(VOTER, subscribed=False), 0, NOW, rules.NOT_SUBSCRIBED),
        (OPEN, replace(VOTER, blocked=True), 0, NOW, rules.NOT_SUBSCRIBED),
        (OPEN, replace(VOTER, village_id="tan-hung"), 0, NOW, rules.NOT_IN_AUDIENCE),
        (OPEN, replace(VOTER, village_id=None), 0, NOW, rules.NOT_IN_AUDIENCE),
        (replace(OPEN, audience=Audience()), replace(VOTER, village_id=None), 0, NOW, None),
        (
            replace(OPEN, audience=Audience("topic", ("reform",))),
            VOTER,
            0,
            NOW,
            rules.NOT_IN_AUDIENCE,
        ),
        (
            replace(OPEN, audience=Audience("topic", ("reform",))),
            replace(VOTER, topics=frozenset({"reform"})),
            0,
            NOW,
            None,
        ),
        (replace(OPEN, kind=Kind.HOUSEHOLD), VOTER, 0, NOW, rules.NOT_REPRESENTATIVE),
        (replace(OPEN, kind=Kind.HOUSEHOLD), REP, 0, NOW, None),
        (
            replace(OPEN, kind=Kind.HOUSEHOLD),
            replace(REP, household=replace(HOUSE, village_id="tan-hung")),
            0,
            NOW,
            rules.OTHER_VILLAGE,
        ),
        (replace(OPEN, kind=Kind.OPINION), REP, 0, NOW, None),  # a representative is a citizen too
    ],
)
def test_who_may_answer_and_when(
    consultation: Consultation, voter: Voter, option: int, now: datetime, refusal: str | None
) -> None:
    assert rules.answer_refusal(consultation, voter, 0, option, now) == refusal


@pytest.mark.parametrize(
    ("kind", "voter", "key"),
    [
        (Kind.POLL, REP, "c:1"),
        (Kind.OPINION, VOTER, "c:1"),
        (Kind.HOUSEHOLD, REP, "h:7"),
    ],
)
def test_one_answer_per_citizen_or_per_household(kind: Kind, voter: Voter, key: str) -> None:
    assert rules.voter_key(kind, voter) == key


def test_a_household_decision_needs_a_representative() -> None:
    with pytest.raises(rules.ConsultationError):
        rules.voter_key(Kind.HOUSEHOLD, VOTER)


@pytest.mark.parametrize(
    ("households", "needed"), [(1, 1), (2, 2), (3, 2), (10, 6), (11, 6), (212, 107)]
)
def test_more_than_half_of_the_households(households: int, needed: int) -> None:
    assert rules.majority(households) == needed


@pytest.mark.parametrize(
    ("kind", "totals", "eligible", "decided"),
    [
        (Kind.HOUSEHOLD, (6, 1), 10, 0),
        (Kind.HOUSEHOLD, (5, 0), 10, None),  # half is not more than half
        (Kind.HOUSEHOLD, (5, 4), 10, None),  # most of those who answered is not enough
        (Kind.HOUSEHOLD, (1, 6), 11, 1),
        (Kind.HOUSEHOLD, (0, 0), 0, None),
        (Kind.POLL, (3, 5, 1), 100, 1),
        (Kind.POLL, (4, 4), 100, None),  # a tie carries nothing
        (Kind.POLL, (0, 0), 100, None),
        (Kind.OPINION, (9, 2), 10, 0),
        (Kind.POLL, (), 10, None),
    ],
)
def test_which_option_carries(
    kind: Kind, totals: tuple[int, ...], eligible: int, decided: int | None
) -> None:
    assert rules.decided_option(kind, totals, eligible) == decided


COUNTS = {"dong-tam": 240, "tan-hung": 212, "viet-tien": None}


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        (Audience("village", ("dong-tam",)), 240),
        (Audience("village", ("dong-tam", "tan-hung")), 452),
        (Audience("village", ("viet-tien",)), rules.NO_HOUSEHOLD_COUNT),
        (Audience(), rules.NO_HOUSEHOLD_COUNT),  # one village lacks its count
        (Audience("topic", ("reform",)), rules.HOUSEHOLD_BY_VILLAGE),
    ],
)
def test_households_counted_from_the_villages(audience: Audience, expected: int | str) -> None:
    if isinstance(expected, int):
        assert rules.households_in(audience, COUNTS) == expected
    else:
        with pytest.raises(rules.ConsultationError) as caught:
            rules.households_in(audience, COUNTS)
        assert caught.value.text == expected


def test_all_villages_count_when_each_has_its_households() -> None:
    assert rules.households_in(Audience(), {"a": 3, "b": 4}) == 7


LATER = NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("kind", "audience", "options", "opens", "closes", "problem"),
    [
        (Kind.POLL, Audience(), ("A", "B"), NOW, LATER, None),
        (Kind.POLL, Audience(), ("A",), NOW, LATER, rules.FEW_OPTIONS),
        (Kind.POLL, Audience(), ("A", " "), NOW, LATER, rules.FEW_OPTIONS),
        (Kind.POLL, Audience(), tuple("ABCDEFGHI"), NOW, LATER, rules.FEW_OPTIONS),
        (Kind.POLL, Audience(), ("A", "B"), NOW, NOW, rules.BAD_CLOSING),
        (Kind.POLL, Audience(), ("A", "B"), LATER, NOW + timedelta(days=1), rules.BAD_CLOSING),
        (Kind.POLL, Audience(), ("A", "B"), NOW - timedelta(days=9), NOW - timedelta(days=1), rules.BAD_CLOSING),
        (Kind.HOUSEHOLD, Audience("topic", ("x",)), ("A", "B"), NOW, LATER, rules.HOUSEHOLD_BY_VILLAGE),
        (Kind.HOUSEHOLD, Audience("village", ("x",)), ("A", "B"), NOW, LATER, None),
    ],
)  # fmt: skip
def test_what_may_be_opened(
    kind: Kind,
    audience: Audience,
    options: tuple[str, ...],
    opens: datetime,
    closes: datetime,
    problem: str | None,
) -> None:
    if problem is None:
        rules.check_new(
            kind, audience, (Question(QuestionType.SINGLE, "Q", options),), opens, closes, NOW
        )
    else:
        with pytest.raises(rules.ConsultationError) as caught:
            rules.check_new(
                kind, audience, (Question(QuestionType.SINGLE, "Q", options),), opens, closes, NOW
            )
        assert caught.value.text == problem


@pytest.mark.parametrize(
    ("consultation", "closes", "problem"),
    [
        (OPEN, NOW + timedelta(days=4), None),
        (OPEN, NOW + timedelta(days=3), rules.NOT_LATER),  # the same time is no extension
        (OPEN, NOW + timedelta(days=1), rules.NOT_LATER),  # shortening is closing early
        (replace(OPEN, closes_at=NOW - timedelta(hours=1)), NOW - timedelta(minutes=1), rules.NOT_LATER),
        (replace(OPEN, state=State.CLOSED), NOW + timedelta(days=9), rules.NOT_OPEN),
        (replace(OPEN, state=State.CANCELLED), NOW + timedelta(days=9), rules.NOT_OPEN),
    ],
)  # fmt: skip
def test_extension_only_adds_time(
    consultation: Consultation, closes: datetime, problem: str | None
) -> None:
    if problem is None:
        rules.check_extension(consultation, closes, NOW)
    else:
        with pytest.raises(rules.ConsultationError) as caught:
            rules.check_extension(consultation, closes, NOW)
        assert caught.value.text == problem


@pytest.mark.parametrize(
    ("consultation", "now", "due"),
    [
        (OPEN, NOW, False),
        (OPEN, NOW + timedelta(days=3), True),
        (OPEN, NOW + timedelta(days=5), True),
        (replace(OPEN, state=State.CLOSED), NOW + timedelta(days=5), False),
        (replace(OPEN, closes_at=None), NOW, False),
    ],
)
def test_closing_is_due_at_the_closing_time(
    consultation: Consultation, now: datetime, due: bool
) -> None:
    assert rules.is_due(consultation, now) is due


@pytest.mark.parametrize(
    ("consultation", "now", "due"),
    [
        (OPEN, NOW, False),
        (OPEN, NOW + timedelta(days=2), True),  # exactly a day before closing
        (OPEN, NOW + timedelta(days=2, hours=23), True),
        (OPEN, NOW + timedelta(days=3), False),  # closed: too late
        (replace(OPEN, reminded_at=NOW), NOW + timedelta(days=2), False),  # only once
        (replace(OPEN, state=State.DRAFT), NOW + timedelta(days=2), False),
        # Shorter than a day: the invitation was the reminder.
        (replace(OPEN, opens_at=NOW, closes_at=NOW + timedelta(hours=20)), NOW + timedelta(hours=1), False),
    ],
)  # fmt: skip
def test_one_reminder_a_day_before_closing(
    consultation: Consultation, now: datetime, due: bool
) -> None:
    assert rules.reminder_due(consultation, now) is due


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("dong-tam 40 12 ; họp thôn", ("dong-tam", (40, 12), "họp thôn")),
        ("dong-tam 0 0", ("dong-tam", (0, 0), "")),
        ("dong-tam 40", None),  # a count per option
        ("dong-tam 40 12 3", None),
        ("nowhere 1 2", None),
        ("dong-tam -1 2", None),
        ("dong-tam 1 ²", None),
        ("dong-tam 1 9999999", None),
    ],
)
def test_paper_totals_are_read_strictly(
    text: str, parsed: tuple[str, tuple[int, ...], str] | None
) -> None:
    from bot.consultations.paper import parse_paper

    if parsed is None:
        with pytest.raises(rules.ConsultationError):
            parse_paper(text, OPEN, {"dong-tam"})
    else:
        totals = parse_paper(text, OPEN, {"dong-tam"})
        assert (totals.village_id, totals.counts, totals.note) == parsed


SINGLE = Question(QuestionType.SINGLE, "Chợ đặt ở đâu?", ("A", "B"))
MULTI = Question(QuestionType.MULTIPLE, "Cần gì?", ("Đèn", "Cây", "Ghế"))
YESNO = Question(QuestionType.YESNO, "Đồng ý?", ("Đồng ý", "Không đồng ý", "Không ý kiến"))
FREE = Question(QuestionType.COMMENT, "Góp ý khác?")


@pytest.mark.parametrize(
    ("kind", "questions", "problem"),
    [
        (Kind.OPINION, (SINGLE, MULTI, YESNO, FREE), None),
        (Kind.OPINION, (FREE,), None),
        (Kind.OPINION, (), rules.NO_QUESTION),
        (Kind.OPINION, (SINGLE,) * 11, rules.NO_QUESTION),
        (Kind.OPINION, (replace(MULTI, options=("Đèn",)),), rules.FEW_OPTIONS),
        (Kind.OPINION, (replace(FREE, text=" "),), rules.EMPTY_QUESTION),
        (Kind.POLL, (SINGLE, YESNO), rules.ONE_QUESTION),
        (Kind.POLL, (FREE,), rules.ONE_QUESTION),
        (Kind.HOUSEHOLD, (YESNO,), None),
        (Kind.HOUSEHOLD, (MULTI,), rules.ONE_QUESTION),
    ],
)
def test_which_questions_may_be_asked(
    kind: Kind, questions: tuple[Question, ...], problem: str | None
) -> None:
    if problem is None:
        rules.check_questions(kind, questions)
    else:
        with pytest.raises(rules.ConsultationError) as caught:
            rules.check_questions(kind, questions)
        assert caught.value.text == problem


@pytest.mark.parametrize(
    ("question", "value", "chosen"),
    [
        (SINGLE, 1, (1,)),
        (SINGLE, 5, ()),
        (MULTI, 0b101, (0, 2)),
        (MULTI, 0, ()),
        (YESNO, 2, (2,)),
        (FREE, 0, ()),
    ],
)
def test_a_stored_value_stands_for_the_options_chosen(
    question: Question, value: int, chosen: tuple[int, ...]
) -> None:
    assert question.chosen(value) == chosen


def test_a_question_beyond_the_last_or_an_option_of_a_comment_is_refused() -> None:
    several = replace(OPEN, kind=Kind.OPINION, questions=(SINGLE, FREE))
    assert rules.answer_refusal(several, VOTER, 2, 0, NOW) == rules.BAD_OPTION
    assert rules.answer_refusal(several, VOTER, 1, 0, NOW) is None  # a comment's text
    assert rules.answer_refusal(several, VOTER, 0, 2, NOW) == rules.BAD_OPTION


def test_paper_totals_of_several_questions_name_the_question_first() -> None:
    from bot.consultations.paper import parse_paper

    several = replace(OPEN, kind=Kind.OPINION, questions=(SINGLE, MULTI, YESNO))
    totals = parse_paper("3 dong-tam 4 5 6 ; họp thôn", several, {"dong-tam"})
    assert (totals.question, totals.counts, totals.note) == (2, (4, 5, 6), "họp thôn")
    for text in ("dong-tam 4 5", "2 dong-tam 1 2 3", "4 dong-tam 1 2", "0 dong-tam 1 2"):
        with pytest.raises(rules.ConsultationError):
            parse_paper(text, several, {"dong-tam"})
