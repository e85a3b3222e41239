"""`python -m bot duties`: check the duty calendar and show when each duty next falls due."""

from __future__ import annotations

import argparse
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.workdays import WorkCalendar
from bot.duties.calendar import load_calendar
from bot.duties.recurrence import next_due
from bot.duties.settings import duty_settings


def add_parser(sub: Any) -> None:
    duties = sub.add_parser("duties", help="check the duty calendar and list next due dates")
    duties.set_defaults(func=_check)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate `[duties]` and the calendar (ConfigError, exit 2, if wrong) and list them."""
    own = duty_settings(settings.section("duties"))
    calendar = load_calendar(own.calendar, own.working_day, settings.timezone)
    tz, now, workdays = settings.timezone, SystemClock().now(), WorkCalendar()
    print(f"{own.calendar}: {len(calendar.duties)} duties, times in {tz.key}")
    for duty in calendar.duties:
        due = next_due(duty.recurrence, duty.working_day, now, tz, workdays).due.astimezone(tz)
        reminders = ", ".join(name for name, _offset in duty.reminders) or "-"
        delay = duty.escalate_after
        escalate = f"{delay.total_seconds() / 3600:g}h" if delay is not None else "-"
        print(
            f"  {duty.id:<22} {duty.role.value:<9} next {due:%Y-%m-%d %a %H:%M}"
            f"  remind {reminders}  escalate after {escalate}"
        )
    return 0
