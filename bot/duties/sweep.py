"""The daily case sweep: warn handlers before a case's deadline, tell the chairman after it.

Cases are another feature; it plugs in here through `CaseSweepSource`. Until
it does, `NoCases` makes the sweep a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.workdays import WorkCalendar
from bot.duties import messages
from bot.duties.repository import DutyRepository
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import DeliveryError, Notifier
from bot.people.officers import OfficerRepository, Role

log = logging.getLogger(__name__)
SWEEP_JOB = "case-sweep"


@dataclass(frozen=True)
class CaseAlert:
    """An open case near or past its deadline, as the sweep needs to see it."""

    reference: str  # the tracking code officers know it by
    title: str  # short, without the citizen's personal data
    deadline: date  # in the commune's calendar
    handlers: tuple[Recipient, ...] = ()  # none yet: every justice officer is told


class CaseSweepSource(Protocol):
    """What the cases feature offers the sweep."""

    async def due_soon(self, today: date, until: date) -> Sequence[CaseAlert]:
        """Open cases whose deadline is from `today` to `until`, both included."""
        ...

    async def overdue(self, today: date) -> Sequence[CaseAlert]:
        """Open cases whose deadline is before `today`."""
        ...


class NoCases:
    """The source until the cases feature is connected: nothing to sweep."""

    async def due_soon(self, today: date, until: date) -> Sequence[CaseAlert]:
        return ()

    async def overdue(self, today: date) -> Sequence[CaseAlert]:
        return ()


@dataclass
class SweepReport:
    ran: bool = False
    warned: int = 0
    escalated: int = 0


class CaseSweep:
    """Runs once per working day, whatever the number of restarts."""

    def __init__(
        self,
        repo: DutyRepository,
        officers: OfficerRepository,
        notifier: Notifier,
        clock: Clock,
        tz: ZoneInfo,
        workdays: WorkCalendar,
        warning_days: int,
    ) -> None:
        self.source: CaseSweepSource = NoCases()
        self._repo = repo
        self._officers = officers
        self._notifier = notifier
        self._clock = clock
        self._tz = tz
        self._workdays = workdays
        self._warning_days = warning_days

    async def run(self) -> SweepReport:
        """Sweep today's cases, unless today is a day off or it was already done."""
        today = self._clock.now().astimezone(self._tz).date()
        report = SweepReport()
        if not self._workdays.is_working_day(today):
            return report
        if not await self._repo.claim_run(SWEEP_JOB, today.isoformat()):
            return report
        report.ran = True
        until = self._workdays.add_working_days(today, self._warning_days)
        justice = [o.recipient for o in await self._officers.with_role(Role.JUSTICE)]
        for alert in await self.source.due_soon(today, until):
            for recipient in alert.handlers or tuple(justice):
                report.warned += await self._tell(recipient, messages.CASE_DUE_SOON, alert)
        chairmen = [o.recipient for o in await self._officers.with_role(Role.CHAIRMAN)]
        for alert in await self.source.overdue(today):
            for recipient in chairmen:
                report.escalated += await self._tell(recipient, messages.CASE_OVERDUE, alert)
        return report

    async def _tell(self, recipient: Recipient, template: str, alert: CaseAlert) -> int:
        officer = await self._officers.get(recipient)
        language = officer.language if officer else "vi"
        message: OutgoingMessage = messages.case_alert(
            template, alert.reference, alert.title, alert.deadline, language
        )
        try:
            await self._notifier.notify(recipient, message)
        except DeliveryError as exc:
            log.warning("case sweep message to %s failed: %s", recipient.external_id, exc)
            return 0
        return 1
