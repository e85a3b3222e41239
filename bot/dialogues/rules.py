"""The rules of dialogues and voter meetings, as pure functions: when questions are
taken, what an officer's typed numbers and answers mean, the order officers read.

Table-tested in tests/unit/test_dialogue_rules.py. The repository applies the
closing rule again inside the transaction that stores a question or a "me
too", so a press at the last second cannot slip past it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.core.i18n import N_, _
from bot.dialogues.actions import Scope
from bot.dialogues.model import Dialogue, Question, State
from bot.outreach.audience import TOPICS, VILLAGES, Audience


class DialogueError(Exception):
    """What cannot be done; `text` is a message id to translate and show."""

    def __init__(self, text: str, **params: object) -> None:
        super().__init__(text)
        self.text = text
        self.params = params

    def shown(self) -> str:
        """The reason in the current language, its placeholders filled."""
        return _(self.text).format(**self.params)


NOT_FOUND = N_("There is no such dialogue or voter meeting.")
CLOSED = N_(
    "Questions for this meeting closed on {when}. Thank you; you can still come to the "
    "meeting, or send /feedback."
)
FINISHED = N_("This meeting is over; questions are no longer taken.")
CANCELLED = N_("This meeting was cancelled.")
NOT_IN_AUDIENCE = N_("This meeting is for other citizens.")
NOT_SUBSCRIBED = N_("Please send /start first to subscribe.")
EMPTY_QUESTION = N_("Please write your question in words, or send a voice note.")
TOO_LONG = N_("Please keep the question under {n} characters.")
NO_TITLE = N_("Please send a title.")
BAD_START = N_("The meeting must be in the future.")
BAD_CLOSING = N_("Questions must close in the future and no later than the meeting starts.")
NO_SUCH_QUESTION = N_("There is no question #{n} at this meeting.")
BAD_NUMBERS = N_('Send question numbers separated by spaces, e.g. "3 5 8".')
BAD_ANSWER = N_('Send the question number, a colon, then the answer, e.g. "3: The road is …".')
ALREADY_ANSWERED = N_("Question #{n} is already answered.")
OWN_QUESTION = N_("This is your own question.")
NOT_PUBLIC = N_("This question is not public.")
ALREADY_SUPPORTED = N_("You already ask this question too.")
NOT_OPEN = N_("Only an announced meeting that is not finished can do this.")

MAX_TEXT = 2000
MAX_QUESTIONS = 5  # per citizen and event: room for what matters, not for a flood
TOO_MANY = N_(
    "You have sent {n} questions to this meeting, the most one person may. "
    "You can add “me too” to others' questions."
)
_NUMBER = re.compile(r"#?(\d{1,6})")
_ANSWER = re.compile(r"\s*#?(\d{1,6})\s*[:.)\-–]\s*(.+)", re.DOTALL)


def ask_refusal(dialogue: Dialogue, now: datetime) -> str | None:
    """Why no question (nor "me too") is taken for `dialogue` now, or None."""
    if dialogue.state is State.DRAFT:
        return NOT_FOUND
    if dialogue.state is State.CANCELLED:
        return CANCELLED
    if dialogue.state is State.FINISHED:
        return FINISHED
    if dialogue.questions_close_at is None or now >= dialogue.questions_close_at:
        return CLOSED
    return None


def check_text(text: str, voice: str | None) -> str:
    """The question's text, stripped; refused when empty without a voice note, or too long."""
    text = text.strip()
    if not text and voice is None:
        raise DialogueError(EMPTY_QUESTION)
    if len(text) > MAX_TEXT:
        raise DialogueError(TOO_LONG, n=MAX_TEXT)
    return text


def check_new(
    title: str, starts_at: datetime | None, closes_at: datetime | None, now: datetime
) -> None:
    """An announcement needs a title, a future meeting, and questions closing before it."""
    if not title.strip():
        raise DialogueError(NO_TITLE)
    if starts_at is None or starts_at <= now:
        raise DialogueError(BAD_START)
    if closes_at is None or closes_at <= now or closes_at > starts_at:
        raise DialogueError(BAD_CLOSING)


def parse_numbers(text: str) -> tuple[int, ...]:
    """ "3 5, #8" -> (3, 5, 8): question numbers as typed, in order, each once."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    numbers: list[int] = []
    for part in parts:
        match = _NUMBER.fullmatch(part)
        if match is None:
            raise DialogueError(BAD_NUMBERS)
        number = int(match.group(1))
        if number not in numbers:
            numbers.append(number)
    if not numbers:
        raise DialogueError(BAD_NUMBERS)
    return tuple(numbers)


def parse_answer(text: str) -> tuple[int, str]:
    """ "3: the answer" -> (3, "the answer")."""
    match = _ANSWER.fullmatch(text)
    if match is None or not match.group(2).strip():
        raise DialogueError(BAD_ANSWER)
    return int(match.group(1)), match.group(2).strip()


def ranked(questions: Iterable[Question]) -> list[Question]:
    """Most asked first (asker plus "me too"), then in the order they came."""
    return sorted(questions, key=lambda q: (-q.weight, q.number))


def members(questions: Sequence[Question], number: int) -> list[Question]:
    """The questions answered together with question `number`: its whole group."""
    found = next((q for q in questions if q.number == number), None)
    if found is None:
        raise DialogueError(NO_SUCH_QUESTION, n=number)
    lead = found.group_lead or found.number
    return [q for q in questions if q.number == lead or q.group_lead == lead]


def support_refusal(question: Question, citizen_id: int) -> str | None:
    """Why the citizen may not say "me too" to `question`, or None."""
    if question.citizen_id == citizen_id:
        return OWN_QUESTION
    if not question.public:
        return NOT_PUBLIC
    return None


def toggle_audience(audience: Audience, scope: Scope, item: str | None) -> Audience:
    """The audience after a press: everyone, or a village or topic toggled in or out
    (switching from villages to topics starts afresh; nothing left means everyone)."""
    if scope is Scope.ALL or item is None:
        return Audience()
    toggled = audience.toggled(VILLAGES if scope is Scope.VILLAGE else TOPICS, item)
    return toggled if toggled.ids else Audience()
