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
    question: str
    options: tuple[str, ...]
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
    """The counts officers see: never who chose what.

    `online[v][i]` is the answers for option `i` from village `v` (None: a
    citizen without a village); `paper[v][i]` the paper ballots entered.
    """

    options: tuple[str, ...]
    eligible: int
    online: dict[str | None, tuple[int, ...]] = field(default_factory=dict)
    paper: dict[str | None, tuple[int, ...]] = field(default_factory=dict)
    comments: tuple[str, ...] = ()
    anonymised: int = 0

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
        return self.online_total + self.paper_total

    def could_answer(self, kind: Kind) -> int:
        """The turnout's base: the households, or the audience on the bot plus paper voters."""
        return self.eligible if kind is Kind.HOUSEHOLD else self.eligible + self.paper_total
