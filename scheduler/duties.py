"""Duty jobs on PTB's JobQueue (APScheduler): the reminder tick, the case sweep, the digest.

Nothing here is the source of truth: periods, reminders sent and job runs
are rows in SQLite, so at start-up the jobs are registered afresh from the
settings and `catch_up()` sends, once, whatever fell due while the bot was
down. The sweep and the digest run at fixed wall-clock times in the
commune's zone (CronTrigger); reminders come from a short interval tick
that asks the domain what is due (see `bot.duties.reminders` for why).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

from apscheduler.triggers.cron import CronTrigger
from telegram.ext import ContextTypes

from bot.duties.calendar import WEEKDAYS
from bot.duties.service import DutyService
from bot.services import Services
from handlers.telegram.common import SERVICES_KEY, TelegramApp

log = logging.getLogger(__name__)
TICK_JOB = "duties-tick"
SWEEP_JOB = "duties-case-sweep"
DIGEST_JOB = "duties-weekly-digest"


def _duties(context: ContextTypes.DEFAULT_TYPE) -> DutyService:
    return cast(Services, context.bot_data[SERVICES_KEY]).duties


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the duty reminders and escalations now due."""
    await _duties(context).tick()


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Warn case handlers before deadlines and the chairman after them."""
    await _duties(context).sweep.run()


async def digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the chairman the weekly digest."""
    await _duties(context).digest.run()


async def start(application: TelegramApp) -> None:
    """Catch up on what was missed, then register the jobs (called from post_init)."""
    duties = cast(Services, application.bot_data[SERVICES_KEY]).duties
    await duties.catch_up()
    queue = application.job_queue
    if queue is None:  # PTB installed without the job-queue extra
        log.warning("no job queue: duty reminders will only be sent at start-up")
        return
    own, tz = duties.settings, duties.tz
    every = timedelta(seconds=own.tick_seconds)
    queue.run_repeating(tick, every, first=every, name=TICK_JOB)
    queue.run_custom(
        sweep,
        {
            "trigger": CronTrigger(
                hour=own.sweep_time.hour, minute=own.sweep_time.minute, timezone=tz
            )
        },
        name=SWEEP_JOB,
    )
    if own.digest:
        trigger = CronTrigger(
            day_of_week=WEEKDAYS[own.digest_weekday],
            hour=own.digest_time.hour,
            minute=own.digest_time.minute,
            timezone=tz,
        )
        queue.run_custom(digest, {"trigger": trigger}, name=DIGEST_JOB)
