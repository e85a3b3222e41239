"""The daily privacy job on PTB's JobQueue: erase the text of old delivered notifications.

The rule is data-driven (`done_at` in SQLite), so a missed night is caught
up by the next run, and one run at start-up covers a bot that was down.
"""

from __future__ import annotations

import logging
from typing import cast

from apscheduler.triggers.cron import CronTrigger
from telegram.ext import ContextTypes

from bot.services import Services
from handlers.telegram.common import SERVICES_KEY, TelegramApp

log = logging.getLogger(__name__)
EXPIRY_JOB = "privacy-expire-notifications"


async def expire(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Blank the text of single notifications delivered longer ago than the setting."""
    await _expire(cast(Services, context.bot_data[SERVICES_KEY]))


async def _expire(svc: Services) -> None:
    blanked = await svc.privacy.expire()
    if blanked:
        log.info("privacy: erased the text of %d delivered notifications", blanked)


async def start(application: TelegramApp) -> None:
    """Run the expiry once now, then every day at the configured time (called from post_init)."""
    svc = cast(Services, application.bot_data[SERVICES_KEY])
    await _expire(svc)
    queue = application.job_queue
    if queue is None:  # PTB installed without the job-queue extra
        log.warning("no job queue: old notification texts are only erased at start-up")
        return
    at = svc.privacy.options.cleanup_time
    trigger = CronTrigger(hour=at.hour, minute=at.minute, timezone=svc.settings.timezone)
    queue.run_custom(expire, {"trigger": trigger}, name=EXPIRY_JOB)
