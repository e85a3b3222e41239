"""The chairman's weekly digest: duties done and late, and other features' figures."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.duties import messages
from bot.duties.calendar import DutyCalendar
from bot.duties.messages import DigestFigure
from bot.duties.repository import DutyRepository
from bot.messaging.notify import DeliveryError, Notifier
from bot.people.officers import OfficerRepository, Role

log = logging.getLogger(__name__)
DIGEST_JOB = "weekly-digest"
WEEK = timedelta(days=7)


class DigestSource(Protocol):
    """A feature's figures for the week ending at `end`: cases received, broadcasts sent..."""

    async def weekly_figures(self, start: datetime, end: datetime) -> Sequence[DigestFigure]: ...


class WeeklyDigest:
    """Sends the digest at most once per ISO week, restarts included."""

    def __init__(
        self,
        calendar: DutyCalendar,
        repo: DutyRepository,
        officers: OfficerRepository,
        notifier: Notifier,
        clock: Clock,
        tz: ZoneInfo,
    ) -> None:
        # Cases and broadcasts append their source here when they are connected.
        self.sources: list[DigestSource] = []
        self._calendar = calendar
        self._repo = repo
        self._officers = officers
        self._notifier = notifier
        self._clock = clock
        self._tz = tz

    async def run(self) -> int:
        """Send this week's digest to every chairman; return how many got it."""
        now = self._clock.now()
        year, week, _day = now.astimezone(self._tz).isocalendar()
        if not await self._repo.claim_run(DIGEST_JOB, f"{year}-W{week:02d}"):
            return 0
        done = [
            (duty, p)
            for p in await self._repo.done_between(now - WEEK, now)
            if (duty := self._calendar.get(p.duty_id)) is not None
        ]
        late = [
            (duty, p)
            for p in await self._repo.open_periods()
            if p.due <= now and (duty := self._calendar.get(p.duty_id)) is not None
        ]
        figures = [
            f for source in self.sources for f in await source.weekly_figures(now - WEEK, now)
        ]
        sent = 0
        for chairman in await self._officers.with_role(Role.CHAIRMAN):
            message = messages.digest(done, late, figures, chairman.language, self._tz)
            try:
                await self._notifier.notify(chairman.recipient, message)
                sent += 1
            except DeliveryError as exc:
                log.warning("weekly digest to officer %s failed: %s", chairman.id, exc)
        return sent
