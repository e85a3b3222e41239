"""The reception job: queue the day-before and hour-before reminders of bookings as they fall
due. Data-driven (flags in SQLite), so a restart catches up and nothing goes twice."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram.ext import ContextTypes, JobQueue

from bot.reception.service import ReceptionService

log = logging.getLogger(__name__)
JOB = "reception-reminders"
EVERY_SECONDS = 60.0


async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
    assert context.job is not None
    await _remind(cast(ReceptionService, context.job.data))


async def _remind(reception: ReceptionService) -> None:
    queued = await reception.send_reminders()
    if queued:
        log.info("reception reminders queued: %d", queued)


async def start(queue: JobQueue[Any] | None, reception: ReceptionService) -> None:
    """Run once now (catch-up), then every minute (at start-up, once updates flow)."""
    await _remind(reception)
    if queue is None:
        log.warning("no job queue: reception reminders go only at start-up")
        return
    queue.run_repeating(remind, EVERY_SECONDS, first=EVERY_SECONDS, data=reception, name=JOB)
