"""The pure rules of dialogues: when questions are taken, what officers type, the order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.cases.model import Topic
from bot.dialogues import rules
from bot.dialogues.actions import Scope
from bot.dialogues.model import Dialogue, Kind, Question, State
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

EVENT = Dialogue(
    id=1, kind=Kind.DIALOGUE, state=State.OPEN, title="Đường liên thôn",
    starts_at=NOW + 48 * HOUR, place="Hội trường", attendees="Chủ tịch UBND xã",
    audience=Audience(), questions_close_at=NOW + 24 * HOUR, author=Recipient("cli", "x"),
    officer_id=None, broadcast_id=None, news_id=None, created_at=NOW,
)  # fmt: skip


def question(number: int, supporters: int = 0, **changes: object) -> Question:
    base = Question(
        id=100 + number, dialogue_id=1, number=number, text=f"câu {number}", voice=None,
        topic=Topic.ROADS, anonymous=False, public=True, asker="Dân", citizen_id=number,
        supporters=supporters, group_lead=None, at_meeting=False, answer=None,
        answered_at=None, case_code=None,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "now", "refusal"),
    [
        (State.OPEN, NOW, None),
        (State.OPEN, NOW + 24 * HOUR - timedelta(seconds=1), None),
        (State.OPEN, NOW + 24 * HOUR, rules.CLOSED),  # the closing moment itself is closed
        (State.OPEN, NOW + 30 * HOUR, rules.CLOSED),
        (State.DRAFT, NOW, rules.NOT_FOUND),
        (State.CANCELLED, NOW, rules.CANCELLED),
        (State.FINISHED, NOW, rules.FINISHED),
    ],
)
def test_questions_are_taken_only_while_announced_and_before_the_closing_time(
    state: State, now: datetime, refusal: str | None
) -> None:
    assert rules.ask_refusal(replace(EVENT, state=state), now) == refusal


@pytest.mark.parametrize(
    ("title", "starts", "closes", "error"),
    [
        ("Đối thoại", NOW + 48 * HOUR, NOW + 24 * HOUR, None),
        ("Đối thoại", NOW + 48 * HOUR, NOW + 48 * HOUR, None),  # until the meeting starts
        ("  ", NOW + 48 * HOUR, NOW + 24 * HOUR, rules.NO_TITLE),
        ("Đối thoại", NOW - HOUR, NOW - 2 * HOUR, rules.BAD_START),
        ("Đối thoại", None, NOW + HOUR, rules.BAD_START),
        ("Đối thoại", NOW + 48 * HOUR, NOW + 49 * HOUR, rules.BAD_CLOSING),  # after the meeting
        ("Đối thoại", NOW + 48 * HOUR, NOW, rules.BAD_CLOSING),  # already closed
        ("Đối thoại", NOW + 48 * HOUR, None, rules.BAD_CLOSING),
    ],
)
def test_an_announcement_needs_a_title_a_future_meeting_and_questions_closing_before_it(
    title: str, starts: datetime | None, closes: datetime | None, error: str | None
) -> None:
    if error is None:
        rules.check_new(title, starts, closes, NOW)
    else:
        with pytest.raises(rules.DialogueError) as caught:
            rules.check_new(title, starts, closes, NOW)
        assert caught.value.text == error


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("3 5 8", (3, 5, 8)),
        ("#3, #5;8", (3, 5, 8)),
        ("  7 ", (7,)),
        ("5 3 5", (5, 3)),  # each once, the first stays first (the group's lead)
        ("", None),
        ("3 và 5", None),
        ("3.5", None),
        ("1234567", None),
    ],
)
def test_typed_question_numbers(typed: str, numbers: tuple[int, ...] | None) -> None:
    if numbers is None:
        with pytest.raises(rules.DialogueError):
            rules.parse_numbers(typed)
    else:
        assert rules.parse_numbers(typed) == numbers


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("3: Tháng 5 làm đường.", (3, "Tháng 5 làm đường.")),
        ("#12 - Đã giao thôn xử lý", (12, "Đã giao thôn xử lý")),
        ("4) Có.\nDòng hai", (4, "Có.\nDòng hai")),
        ("3:", None),
        ("Tháng 5 làm đường", None),
        ("ba: có", None),
    ],
)
def test_a_typed_answer_names_its_question(typed: str, parsed: tuple[int, str] | None) -> None:
    if parsed is None:
        with pytest.raises(rules.DialogueError):
            rules.parse_answer(typed)
    else:
        assert rules.parse_answer(typed) == parsed


def test_most_asked_first_then_in_the_order_they_came() -> None:
    found = [question(1), question(2, supporters=3), question(3, supporters=3), question(4, 1)]
    assert [q.number for q in rules.ranked(found)] == [2, 3, 4, 1]


def test_a_group_is_its_lead_and_every_question_under_it() -> None:
    found = [question(1), question(2, group_lead=1), question(3), question(4, 2, group_lead=1)]
    for number in (1, 2, 4):
        assert [q.number for q in rules.members(found, number)] == [1, 2, 4]
    assert [q.number for q in rules.members(found, 3)] == [3]
    with pytest.raises(rules.DialogueError) as caught:
        rules.members(found, 9)
    assert caught.value.params == {"n": 9}


@pytest.mark.parametrize(
    ("changes", "citizen", "refusal"),
    [
        ({}, 99, None),
        ({}, 1, rules.OWN_QUESTION),
        ({"public": False}, 99, rules.NOT_PUBLIC),
        ({"anonymous": True}, 99, None),  # anonymous and public: others may still support it
    ],
)
def test_me_too_only_on_public_questions_of_others(
    changes: dict[str, object], citizen: int, refusal: str | None
) -> None:
    assert rules.support_refusal(question(1, **changes), citizen) == refusal


@pytest.mark.parametrize(
    ("before", "scope", "item", "after"),
    [
        (Audience(), Scope.VILLAGE, "dong-tam", Audience("village", ("dong-tam",))),
        (Audience("village", ("a",)), Scope.VILLAGE, "b", Audience("village", ("a", "b"))),
        (Audience("village", ("a",)), Scope.VILLAGE, "a", Audience()),  # none left: everyone
        (Audience("village", ("a",)), Scope.TOPIC, "land", Audience("topic", ("land",))),
        (Audience("topic", ("land",)), Scope.ALL, None, Audience()),
    ],
)
def test_the_audience_toggles(
    before: Audience, scope: Scope, item: str | None, after: Audience
) -> None:
    assert rules.toggle_audience(before, scope, item) == after


@pytest.mark.parametrize(
    ("text", "voice", "error"),
    [
        ("  Khi nào sửa đường? ", None, None),
        ("", "file:abc", None),
        ("   ", None, rules.EMPTY_QUESTION),
        ("x" * (rules.MAX_TEXT + 1), None, rules.TOO_LONG),
    ],
)
def test_a_question_has_words_or_a_voice_note(
    text: str, voice: str | None, error: str | None
) -> None:
    if error is None:
        assert rules.check_text(text, voice) == text.strip()
    else:
        with pytest.raises(rules.DialogueError) as caught:
            rules.check_text(text, voice)
        assert caught.value.text == error
