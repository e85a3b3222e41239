"""Duty jobs on PTB's JobQueue (APScheduler): the reminder tick, the case sweep, the digest.

Nothing here is the source of truth: periods, reminders sent and job runs
are rows in SQLite, so at start-up the jobs are registered afresh from the
settings and `catch_up()` sends, once, whatever fell due while the bot was
down. The sweep and the digest run at fixed wall-clock times in the
commune's zone (CronTrigger); reminders come from a short interval tick
that asks the domain what is due (see `bot.duties.reminders` for why).

The catch-up is a job too, due at once: the JobQueue starts after the bot
receives updates, so a reminder that carries a draft report (seconds of
charts and Word) never holds up the bot's first answers.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, cast

from apscheduler.triggers.cron import CronTrigger
from telegram.ext import ContextTypes, JobQueue

from bot.duties.calendar import WEEKDAYS
from bot.duties.service import DutyService

log = logging.getLogger(__name__)
CATCH_UP_JOB = "duties-catch-up"
TICK_JOB = "duties-tick"
SWEEP_JOB = "duties-case-sweep"
DIGEST_JOB = "duties-weekly-digest"


def _duties(context: ContextTypes.DEFAULT_TYPE) -> DutyService:
    assert context.job is not None
    return cast(DutyService, context.job.data)


async def catch_up(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send, once, what fell due while the bot was down."""
    await _duties(context).catch_up()


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the duty reminders and escalations now due."""
    await _duties(context).tick()


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Warn case handlers before deadlines and the chairman after them."""
    await _duties(context).sweep.run()


async def digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the chairman the weekly digest."""
    await _duties(context).digest.run()


async def start(queue: JobQueue[Any] | None, duties: DutyService) -> None:
    """Register the catch-up and the jobs (called at start-up, as updates begin to flow)."""
    if queue is None:  # PTB installed without the job-queue extra
        log.warning("no job queue: duty reminders will only be sent at start-up")
        await duties.catch_up()
        return
    # However late the JobQueue gets to it (a busy start): APScheduler would
    # otherwise skip a job more than a second late, and the catch-up with it.
    late_ok = {"misfire_grace_time": None}
    queue.run_once(catch_up, 0, data=duties, name=CATCH_UP_JOB, job_kwargs=late_ok)
    own, tz = duties.settings, duties.tz
    every = timedelta(seconds=own.tick_seconds)
    queue.run_repeating(tick, every, first=every, data=duties, name=TICK_JOB)
    queue.run_custom(
        sweep,
        {
            "trigger": CronTrigger(
                hour=own.sweep_time.hour, minute=own.sweep_time.minute, timezone=tz
            )
        },
        data=duties,
        name=SWEEP_JOB,
    )
    if own.digest:
        trigger = CronTrigger(
            day_of_week=WEEKDAYS[own.digest_weekday],
            hour=own.digest_time.hour,
            minute=own.digest_time.minute,
            timezone=tz,
        )
        queue.run_custom(digest, {"trigger": trigger}, data=duties, name=DIGEST_JOB)
