"""Duties for officers: what is due, mark done, snooze; the jobs that keep them on time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.workdays import WorkCalendar
from bot.duties.calendar import Duty, DutyCalendar
from bot.duties.digest import WeeklyDigest
from bot.duties.recurrence import following, next_due
from bot.duties.reminders import ReminderEngine, TickReport
from bot.duties.repository import DutyRepository, Period
from bot.duties.settings import DutySettings, settings_calendar
from bot.duties.sweep import CaseSweep
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment
from bot.messaging.notify import Notifier
from bot.people.access import AccessControl
from bot.people.officers import Officer, OfficerRepository, Role

SNOOZE = timedelta(days=1)
UNDO_WINDOW = timedelta(minutes=10)  # long enough to notice a mistaken tap


class TooLateToUndo(Exception):
    """The undo window of a done period has passed (or it is open again)."""


class AlreadyDone(Exception):
    """The period was marked done before; `period` says by whom and when."""

    def __init__(self, period: Period) -> None:
        super().__init__(f"period {period.id} is already done")
        self.period = period


@dataclass(frozen=True)
class AgendaItem:
    """A duty on an officer's list: its open period (None if not created yet) and due moment."""

    duty: Duty
    period_id: int | None
    due: datetime
    overdue: bool


class DutyService:
    """The duties feature's entry point for handlers and jobs."""

    def __init__(
        self,
        settings: DutySettings,
        calendar: DutyCalendar,
        repo: DutyRepository,
        officers: OfficerRepository,
        access: AccessControl,
        notifier: Notifier,
        clock: Clock,
        tz: ZoneInfo,
        workdays: WorkCalendar,
    ) -> None:
        self.settings = settings
        self.calendar = calendar
        self.repo = repo
        self.tz = tz
        self._officers = officers
        self._access = access
        self._clock = clock
        self._workdays = workdays
        self.engine = ReminderEngine(calendar, repo, officers, notifier, clock, tz, workdays)
        self.sweep = CaseSweep(
            repo, officers, notifier, clock, tz, workdays, settings.case_warning_days
        )
        self.digest = WeeklyDigest(calendar, repo, officers, notifier, clock, tz)
        # Set when the start-up catch-up has run, which is after the bot
        # receives updates: whoever needs the missed reminders sent waits on it.
        self.caught_up = asyncio.Event()

    @classmethod
    def open(
        cls,
        settings: Settings,
        db: Database,
        officers: OfficerRepository,
        access: AccessControl,
        notifier: Notifier,
        clock: Clock,
        workdays: WorkCalendar | None = None,
    ) -> DutyService:
        """Read `[duties]` and the calendar (ConfigError if wrong) and build the service."""
        own, calendar = settings_calendar(settings)
        return cls(
            own,
            calendar,
            DutyRepository(db, clock),
            officers,
            access,
            notifier,
            clock,
            settings.timezone,
            workdays or WorkCalendar(),
        )

    async def tick(self) -> TickReport:
        return await self.engine.tick()

    async def catch_up(self) -> None:
        """At start-up: what fell due while the bot was down, each once."""
        try:
            await self.engine.tick()
            local = self._clock.now().astimezone(self.tz)
            if local.time() >= self.settings.sweep_time:
                await self.sweep.run()
            if self.settings.digest and self._digest_time_passed(local):
                await self.digest.run()
        finally:
            self.caught_up.set()

    def _digest_time_passed(self, local: datetime) -> bool:
        """Whether this ISO week's digest moment (Monday to Sunday) is behind us."""
        weekday = self.settings.digest_weekday
        if local.weekday() != weekday:
            return local.weekday() > weekday
        return local.time() >= self.settings.digest_time

    async def agenda(self, officer: Officer) -> list[AgendaItem]:
        """The officer's duties (everyone's for the chairman), soonest due first."""
        if Role.CHAIRMAN in officer.roles:
            duties = list(self.calendar.duties)
        else:
            duties = self.calendar.for_roles(officer.roles)
        now = self._clock.now()
        open_by_duty: dict[str, list[Period]] = {}
        for period in await self.repo.open_periods():
            open_by_duty.setdefault(period.duty_id, []).append(period)
        items: list[AgendaItem] = []
        for duty in duties:
            periods = open_by_duty.get(duty.id)
            if periods:
                items += [AgendaItem(duty, p.id, p.due, p.due <= now) for p in periods]
            else:
                items.append(AgendaItem(duty, None, await self._next_due(duty), False))
        return sorted(items, key=lambda i: i.due)

    async def _next_due(self, duty: Duty) -> datetime:
        rec, rule = duty.recurrence, duty.working_day
        latest = await self.repo.latest(duty.id)
        if latest is None:
            return next_due(rec, rule, self._clock.now(), self.tz, self._workdays).due
        return following(rec, rule, latest.key, self.tz, self._workdays).due

    async def authorize_done(self, actor: Recipient, period_id: int) -> tuple[Officer, Period]:
        """The officer who may close this period; PermissionDenied, LookupError or AlreadyDone."""
        officer, period = await self._authorize(actor, period_id, "duty:done")
        if period.done:
            raise AlreadyDone(period)
        return officer, period

    async def _authorize(
        self, actor: Recipient, period_id: int, what: str
    ) -> tuple[Officer, Period]:
        """The officer holding the period's duty (or the chairman), and the period."""
        # Anyone who is not an officer is refused before learning whether the
        # period exists: a forged button reveals nothing.
        await self._access.authorize(actor, what, frozenset(Role), f"period:{period_id}")
        period = await self.repo.get(period_id)
        duty = self.calendar.get(period.duty_id) if period else None
        if period is None or duty is None:
            raise LookupError(f"no duty period {period_id}")
        roles = frozenset({duty.role, Role.CHAIRMAN})
        officer = await self._access.authorize(actor, what, roles, f"period:{period_id}")
        return officer, period

    async def mark_done(
        self, actor: Recipient, period_id: int, file: Attachment | None = None
    ) -> tuple[Officer, Period]:
        """Close the period: its reminders stop; the next period is untouched."""
        officer, period = await self.authorize_done(actor, period_id)
        if not await self.repo.mark_done(period.id, officer.id, file):
            latest = await self.repo.get(period.id)
            raise AlreadyDone(latest or period)
        await self._access.done(officer, "duty:done", f"period:{period.id}", detail=period.duty_id)
        done = await self.repo.get(period.id)
        assert done is not None
        return officer, done

    async def undo_done(self, actor: Recipient, period_id: int) -> tuple[Officer, Period]:
        """Reopen a period marked done by mistake, within UNDO_WINDOW; its reminders resume."""
        officer, period = await self._authorize(actor, period_id, "duty:undo")
        since = self._clock.now() - UNDO_WINDOW
        if not await self.repo.reopen(period.id, since):
            raise TooLateToUndo()
        await self._access.done(officer, "duty:undo", f"period:{period.id}", detail=period.duty_id)
        reopened = await self.repo.get(period.id)
        assert reopened is not None
        return officer, reopened

    async def snooze(self, actor: Recipient, period_id: int) -> datetime:
        """Hold this officer's reminders of the period for a day; return when they resume."""
        officer, period = await self.authorize_done(actor, period_id)
        until = self._clock.now() + SNOOZE
        await self.repo.snooze(period.id, officer.id, until)
        await self._access.done(officer, "duty:snooze", f"period:{period.id}")
        return until

    async def officer_name(self, officer_id: int | None) -> str:
        found = [o for o in await self._officers.all(include_inactive=True) if o.id == officer_id]
        return found[0].name if found else "?"
