"""The daily privacy job on PTB's JobQueue: erase the text of old delivered notifications.

The rule is data-driven (`done_at` in SQLite), so a missed night is caught
up by the next run, and one run at start-up covers a bot that was down.
"""

from __future__ import annotations

import logging
from typing import Any, cast
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from telegram.ext import ContextTypes, JobQueue

from bot.privacy.service import PersonalData

log = logging.getLogger(__name__)
EXPIRY_JOB = "privacy-expire-notifications"


async def expire(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Blank the text of single notifications delivered longer ago than the setting."""
    assert context.job is not None
    await _expire(cast(PersonalData, context.job.data))


async def _expire(privacy: PersonalData) -> None:
    blanked = await privacy.expire()
    if blanked:
        log.info("privacy: erased the text of %d delivered notifications", blanked)


async def start(queue: JobQueue[Any] | None, privacy: PersonalData, tz: ZoneInfo) -> None:
    """Run the expiry once now (at start-up, once updates flow), then daily at the set time."""
    await _expire(privacy)
    if queue is None:  # PTB installed without the job-queue extra
        log.warning("no job queue: old notification texts are only erased at start-up")
        return
    at = privacy.options.cleanup_time
    trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=tz)
    queue.run_custom(expire, {"trigger": trigger}, data=privacy, name=EXPIRY_JOB)
