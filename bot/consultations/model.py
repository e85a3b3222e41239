"""What a consultation is, who may answer it, and its tally, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment
from bot.outreach.audience import Audience


class Kind(StrEnum):
    """How answers are counted: one per citizen, or one per household."""

    POLL = "poll"  # biểu quyết: citizens choose an option
    OPINION = "opinion"  # lấy ý kiến: on a draft, with comments
    HOUSEHOLD = "household"  # bàn và quyết định: household representatives decide


class QuestionType(StrEnum):
    """How a question is answered."""

    SINGLE = "single"  # one option
    MULTIPLE = "multiple"  # any of the options (stored as their bit set)
    YESNO = "yesno"  # agree, disagree or abstain
    COMMENT = "comment"  # a free text


CHOICE_TYPES = frozenset({QuestionType.SINGLE, QuestionType.YESNO})  # paper ballots count these


@dataclass(frozen=True)
class Question:
    """One question of a consultation; a yes/no question carries its three labels as options."""

    type: QuestionType
    text: str
    options: tuple[str, ...] = ()

    def chosen(self, value: int) -> tuple[int, ...]:
        """The options an answer's stored value stands for (a bit set for multiple choice)."""
        if self.type is QuestionType.COMMENT:
            return ()
        if self.type is QuestionType.MULTIPLE:
            return tuple(i for i in range(len(self.options)) if value >> i & 1)
        return (value,) if 0 <= value < len(self.options) else ()

    def describe(self, value: int, comment: str | None = None) -> str:
        """The answer in words, for the citizen's own eyes (/mydata, the last screen)."""
        if self.type is QuestionType.COMMENT:
            return comment or ""
        return ", ".join(self.options[i] for i in self.chosen(value)) or "—"


class State(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Consultation:
    """A question put to an audience, open between two moments."""

    id: int
    kind: Kind
    state: State
    title: str
    summary: str
    questions: tuple[Question, ...]
    audience: Audience
    opens_at: datetime | None
    closes_at: datetime | None
    eligible: int  # citizens (or households) of the audience at opening
    author: Recipient
    officer_id: int | None
    broadcast_id: int | None
    created_at: datetime
    document: Attachment | None = None
    closed_at: datetime | None = None
    reminded_at: datetime | None = None
    reported_at: datetime | None = None
    public_comments: bool = False  # moderated comments shown with the result

    @property
    def question(self) -> str:
        """The first question's text (the only one of a poll)."""
        return self.questions[0].text if self.questions else ""

    @property
    def options(self) -> tuple[str, ...]:
        """The first question's options (the only ones of a poll)."""
        return self.questions[0].options if self.questions else ()

    @property
    def stepwise(self) -> bool:
        """Whether citizens answer question by question rather than on the invitation."""
        return len(self.questions) != 1 or self.questions[0].type not in CHOICE_TYPES


class Moderation(StrEnum):
    NEW = "new"
    ANSWERED = "answered"  # answered publicly by the officers
    HIDDEN = "hidden"
    CASE = "case"  # turned into a case


@dataclass(frozen=True)
class Comment:
    """A citizen's comment as officers see it: its id, never its author unless signed."""

    id: int
    question: int
    text: str
    moderation: Moderation = Moderation.NEW
    response: str | None = None
    signer: str | None = None  # the citizen's name, only when they chose to sign
    case_id: int | None = None


@dataclass(frozen=True)
class Household:
    """A household as its representative declared it in /settings."""

    id: int
    citizen_id: int
    name: str
    address: str
    village_id: str | None


@dataclass(frozen=True)
class Voter:
    """Who answers: a citizen, on their own or for their household."""

    citizen_id: int
    village_id: str | None
    subscribed: bool
    blocked: bool
    topics: frozenset[str] = frozenset()
    household: Household | None = None


@dataclass(frozen=True)
class Tally:
    """The counts of one question officers see: never who chose what.

    `online[v][i]` is the answers for option `i` from village `v` (None: a
    citizen without a village); `paper[v][i]` the paper ballots entered.
    """

    options: tuple[str, ...]
    eligible: int
    online: dict[str | None, tuple[int, ...]] = field(default_factory=dict)
    paper: dict[str | None, tuple[int, ...]] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()
    anonymised: int = 0
    respondents: int = 0  # online answers (a multiple choice may count in several options)
    question: Question | None = None

    def by_option(self) -> tuple[int, ...]:
        """Online and paper answers per option, commune-wide."""
        totals = [0] * len(self.options)
        for counts in (*self.online.values(), *self.paper.values()):
            for i, n in enumerate(counts):
                totals[i] += n
        return tuple(totals)

    @property
    def online_total(self) -> int:
        return sum(sum(c) for c in self.online.values())

    @property
    def paper_total(self) -> int:
        return sum(sum(c) for c in self.paper.values())

    @property
    def answered(self) -> int:
        return self.respondents + self.paper_total

    def could_answer(self, kind: Kind) -> int:
        """The turnout's base: the households, or the audience on the bot plus paper voters."""
        return self.eligible if kind is Kind.HOUSEHOLD else self.eligible + self.paper_total
