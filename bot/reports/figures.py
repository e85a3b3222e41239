"""The figures a report shows, and the protocol each feature implements to supply them.

Every area of the report (subscribers, broadcasts, cases, FAQ, duties) has a
frozen dataclass of figures for one period and a source protocol with a single
method, `async def figures(period) -> ...Figures`. An area whose source is not
connected is `None` in `ReportFigures` and is shown as "no data recorded",
never as a zero that nobody counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.reports.period import Period


@dataclass(frozen=True)
class Count:
    """One line of a breakdown: a stable key, its label, and how many.

    `label` is an English message id that the source marked with `N_()` (it is
    translated when shown) or a proper name such as a village's.
    """

    key: str
    label: str
    value: int


Counts = tuple[Count, ...]


def total(counts: Counts) -> int:
    return sum(c.value for c in counts)


def ratio(part: int, whole: int) -> float | None:
    """`part / whole`, or None when there is nothing to divide (not a fake 0 %)."""
    return part / whole if whole else None


@dataclass(frozen=True)
class SubscriberFigures:
    """Citizens subscribed to the commune's announcements."""

    total: int  # subscribed and reachable at the end of the period
    new: int  # subscribed for the first time during the period
    returned: int  # came back during the period after leaving earlier
    unsubscribed: int  # left with /stop during the period
    blocked: int  # blocked the bot during the period
    by_village: Counts  # `total` by village; key "" for "not chosen"


@dataclass(frozen=True)
class BroadcastFigures:
    """Announcements sent and how many citizens they reached."""

    by_kind: Counts  # broadcasts sent, by kind of content
    recipients: int  # messages queued to citizens
    delivered: int  # messages the platform accepted
    outside_window: int = 0  # not sent: the citizen had not written within Zalo's window

    @property
    def count(self) -> int:
        return total(self.by_kind)

    @property
    def delivery_rate(self) -> float | None:
        return ratio(self.delivered, self.recipients)


@dataclass(frozen=True)
class CaseFigures:
    """Questions, feedback, petitions, complaints and denunciations (counted, never described)."""

    by_kind: Counts  # received during the period
    by_topic: Counts
    by_village: Counts
    accepted: int
    answered: int
    resolved: int
    transferred: int
    overdue: int  # open past their deadline at the end of the period
    on_time: int  # handled during the period within the deadline
    late: int  # handled during the period after the deadline
    median_working_days: float | None  # receipt to answer, cases handled in the period
    satisfaction: float | None  # average rating 1-5 given during the period
    ratings: int

    @property
    def received(self) -> int:
        return total(self.by_kind)

    @property
    def share_on_time(self) -> float | None:
        return ratio(self.on_time, self.on_time + self.late)


@dataclass(frozen=True)
class FaqFigures:
    """Questions citizens asked the FAQ in the period, and what became of them."""

    asked: int
    answered_at_once: int  # a confident answer the citizen did not reject
    unanswered: int  # nothing matched, or the citizen rejected what was shown
    sent_to_officers: int  # the citizen sent the question on to the officers


@dataclass(frozen=True)
class DutyFigures:
    """Officers' recurring duties, the chairman's citizen-reception days included."""

    done_on_time: int
    done_late: int
    overdue: int  # due during the period and still not done at its end
    reception_days_held: int  # of those due, the days marked done
    reception_days_due: int  # the calendar's reception days in the period, up to its end


@dataclass(frozen=True)
class ConsultationFigures:
    """Consultations and votes closed during the period (dân bàn), and how many took part."""

    by_kind: Counts  # closed during the period, by kind
    answered: int  # answers counted in them, paper ballots included
    eligible: int  # citizens (or households) who could answer them

    @property
    def held(self) -> int:
        return total(self.by_kind)

    @property
    def turnout(self) -> float | None:
        return ratio(self.answered, self.eligible)


@dataclass(frozen=True)
class DialogueFigures:
    """Dialogues and voter meetings held during the period, and their questions."""

    by_kind: Counts  # held (their date fell in the period, not cancelled), by kind
    questions: int  # questions received during the period
    answered: int  # questions answered during the period

    @property
    def held(self) -> int:
        return total(self.by_kind)


@dataclass(frozen=True)
class ReceptionFigures:
    """Citizen reception (tiếp công dân) on the days of the period, booked and walk-in."""

    days_held: int  # reception days on which citizens were received or expected
    received_booked: int  # citizens received who had booked
    received_walk_in: int  # citizens received without a booking
    no_shows: int  # booked and did not come
    outcomes: int  # receptions whose outcome the officer recorded
    cases_opened: int  # cases opened from an outcome

    @property
    def received(self) -> int:
        return self.received_booked + self.received_walk_in


@dataclass(frozen=True)
class MonthFigures:
    """One month of the trend charts."""

    month: Period
    subscribers: SubscriberFigures | None
    cases: CaseFigures | None


@dataclass(frozen=True)
class ReportFigures:
    """Everything a report shows; `None` marks an area whose source is not connected."""

    period: Period
    as_of: datetime  # the period's end, or now if the period is still running
    subscribers: SubscriberFigures | None
    broadcasts: BroadcastFigures | None
    cases: CaseFigures | None
    faq: FaqFigures | None
    duties: DutyFigures | None
    trend: tuple[MonthFigures, ...] = ()
    consultations: ConsultationFigures | None = None
    dialogues: DialogueFigures | None = None
    reception: ReceptionFigures | None = None


class SubscriberSource(Protocol):
    async def figures(self, period: Period) -> SubscriberFigures: ...


class BroadcastSource(Protocol):
    async def figures(self, period: Period) -> BroadcastFigures: ...


class CaseSource(Protocol):
    async def figures(self, period: Period) -> CaseFigures: ...


class FaqSource(Protocol):
    async def figures(self, period: Period) -> FaqFigures: ...


class DutySource(Protocol):
    async def figures(self, period: Period) -> DutyFigures: ...


class ConsultationSource(Protocol):
    async def figures(self, period: Period) -> ConsultationFigures: ...


class DialogueSource(Protocol):
    async def figures(self, period: Period) -> DialogueFigures: ...


class ReceptionSource(Protocol):
    async def figures(self, period: Period) -> ReceptionFigures: ...


@dataclass(frozen=True)
class FigureSources:
    """The sources connected in this build; a missing one renders as "no data recorded"."""

    subscribers: SubscriberSource | None = None
    broadcasts: BroadcastSource | None = None
    cases: CaseSource | None = None
    faq: FaqSource | None = None
    duties: DutySource | None = None
    consultations: ConsultationSource | None = None
    dialogues: DialogueSource | None = None
    reception: ReceptionSource | None = None
