"""What a dialogue or voter meeting is, and the questions sent to it, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.cases.model import Topic
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience


class Kind(StrEnum):
    DIALOGUE = "dialogue"  # đối thoại: the chairman meets citizens
    VOTER_MEETING = "voter_meeting"  # tiếp xúc cử tri: People's Council deputies meet voters


class State(StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # announced; questions are taken until `questions_close_at`
    FINISHED = "finished"  # held; what was left unanswered became cases
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Dialogue:
    """An event announced to an audience, with a closing time for questions."""

    id: int
    kind: Kind
    state: State
    title: str
    starts_at: datetime | None
    place: str
    attendees: str
    audience: Audience
    questions_close_at: datetime | None
    author: Recipient
    officer_id: int | None
    broadcast_id: int | None
    news_id: int | None
    created_at: datetime
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Question:
    """A question as officers work with it: `asker` is None when it was sent anonymously."""

    id: int
    dialogue_id: int
    number: int  # within its event: what officers type
    text: str
    voice: str | None  # file:<sha256>
    topic: Topic
    anonymous: bool
    public: bool
    asker: str | None  # the signed asker's name; never filled for an anonymous question
    citizen_id: int | None
    supporters: int  # "me too" presses
    group_lead: int | None  # the number of the question its group is answered under
    at_meeting: bool
    answer: str | None
    answered_at: datetime | None
    case_code: str | None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def weight(self) -> int:
        """How many people ask it: the asker and those who said "me too"."""
        return 1 + self.supporters


@dataclass(frozen=True)
class NewQuestion:
    """What a citizen sends: text or a voice note, a topic, and their two choices."""

    text: str
    voice: str | None
    topic: Topic
    anonymous: bool
    public: bool
