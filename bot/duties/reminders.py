"""The reminder engine: create due periods, then send what is due at the clock's time.

One call, `tick()`, asks "what is due now?" of the data in SQLite. It is run
at start-up (catch-up after downtime) and then every minute. This is why
there is not one APScheduler job per reminder: those would live in memory,
fire by the wall clock rather than the injectable `Clock`, and after a long
downtime APScheduler would fire each missed one (or drop it, by its
misfire grace time), while the rows here let a restart fold every missed
slot of a period into one message and never repeat one already sent.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, to_db
from bot.core.workdays import WorkCalendar
from bot.duties import messages
from bot.duties.calendar import Duty, DutyCalendar
from bot.duties.recurrence import Slot, escalation_at, following, next_due, reminder_slots
from bot.duties.repository import DutyRepository, Period
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.notify import DeliveryError, Notifier
from bot.people.officers import Officer, OfficerRepository, Role

log = logging.getLogger(__name__)
ESCALATION = "escalation"


@dataclass
class TickReport:
    """What one tick did, for logs and tests."""

    periods_created: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0


class ReminderAttachments(Protocol):
    """What a reporting duty's reminder carries: e.g. the draft report (reports feature)."""

    async def for_period(self, duty: Duty, period: Period) -> Attachment | None: ...


class ReminderEngine:
    """Keeps each duty's periods and reminders in step with the clock."""

    def __init__(
        self,
        calendar: DutyCalendar,
        repo: DutyRepository,
        officers: OfficerRepository,
        notifier: Notifier,
        clock: Clock,
        tz: ZoneInfo,
        workdays: WorkCalendar,
    ) -> None:
        self._calendar = calendar
        self._repo = repo
        self._officers = officers
        self._notifier = notifier
        self._clock = clock
        self._tz = tz
        self._workdays = workdays
        # The start-up catch-up and the periodic job may overlap: one at a time.
        self._lock = asyncio.Lock()
        # Set when the reports feature is connected; None sends reminders bare.
        self.attachments: ReminderAttachments | None = None

    async def tick(self) -> TickReport:
        """Create periods that have come up, then send every reminder now due."""
        async with self._lock:
            now = self._clock.now()
            report = TickReport()
            for duty in self._calendar.duties:
                report.periods_created += await self._ensure_periods(duty, now)
            for period in await self._repo.open_periods():
                owed = self._calendar.get(period.duty_id)
                if owed is None:  # removed from the calendar: nobody to remind
                    continue
                await self._remind(owed, period, now, report)
                await self._escalate(owed, period, now, report)
            if report.sent or report.periods_created or report.failed:
                log.info("duties tick: %s", report)
            return report

    async def _ensure_periods(self, duty: Duty, now: datetime) -> int:
        """Make sure the duty has a period whose due moment is still ahead."""
        rec, rule = duty.recurrence, duty.working_day
        latest = await self._repo.latest(duty.id)
        if latest is None:
            first = next_due(rec, rule, now, self._tz, self._workdays)
            await self._repo.add_period(duty.id, first.key, first.due)
            return 1
        created = 0
        # After downtime every period that fell due meanwhile is created: each
        # is a duty owed, so each is reminded (once) and escalated.
        while latest.due <= now:
            upcoming = following(rec, rule, latest.key, self._tz, self._workdays)
            latest = await self._repo.add_period(duty.id, upcoming.key, upcoming.due)
            created += 1
        return created

    async def _remind(self, duty: Duty, period: Period, now: datetime, report: TickReport) -> None:
        slots = reminder_slots(period.due, duty.reminders, now, self._tz, self._workdays)
        decided = await self._repo.decided_slots(period.id)
        snoozes = await self._repo.snoozes(period.id)
        for officer in await self._officers.with_role(duty.role):
            own = list(slots)
            until = snoozes.get(officer.id)
            if until is not None:
                if until > now:  # "remind me tomorrow": hold everything till then
                    continue
                own = sorted([*own, Slot(f"snooze:{to_db(until)}", until)], key=lambda s: s.at)
            pending = [s for s in own if s.key not in decided.get(officer.id, set())]
            if not pending:
                continue
            # Slots missed while the bot was down fold into the latest one:
            # one message, and each folded slot recorded as skipped.
            rows = [(s.key, s.at, "skipped") for s in pending[:-1]]
            rows.append((pending[-1].key, pending[-1].at, "sent"))
            if not await self._repo.decide(period.id, officer.id, rows):
                continue
            report.skipped += len(rows) - 1
            overdue = pending[-1].at > period.due
            message = messages.reminder(duty, period, officer.language, self._tz, overdue)
            if duty.report and self.attachments is not None:
                attachment = await self.attachments.for_period(duty, period)
                message = replace(message, attachment=attachment)
            await self._send(officer, period, pending[-1].key, message, report)

    async def _escalate(
        self, duty: Duty, period: Period, now: datetime, report: TickReport
    ) -> None:
        at = escalation_at(period.due, duty.escalate_after)
        if at is None or at > now or duty.role is Role.CHAIRMAN:
            return
        decided = await self._repo.decided_slots(period.id)
        holders = [o.name for o in await self._officers.with_role(duty.role)]
        for chairman in await self._officers.with_role(Role.CHAIRMAN):
            if ESCALATION in decided.get(chairman.id, set()):
                continue
            if not await self._repo.decide(period.id, chairman.id, [(ESCALATION, at, "sent")]):
                continue
            message = messages.escalation(duty, period, holders, chairman.language, self._tz)
            await self._send(chairman, period, ESCALATION, message, report)

    async def _send(
        self,
        officer: Officer,
        period: Period,
        slot: str,
        message: OutgoingMessage,
        report: TickReport,
    ) -> None:
        # Recorded before sending: a crash in between loses one reminder
        # rather than repeating it; the outbox makes the send itself durable.
        try:
            await self._notifier.notify(officer.recipient, message)
        except DeliveryError as exc:
            log.warning("duty reminder to officer %s failed: %s", officer.id, exc)
            await self._repo.mark_failed(period.id, officer.id, slot)
            report.failed += 1
            return
        report.sent += 1
