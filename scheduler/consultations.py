"""The consultations job: close what is due, send the day-before reminders, finish
what a crash interrupted. Data-driven (times in SQLite), so a restart catches up."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram.ext import ContextTypes, JobQueue

from bot.consultations.service import ConsultationService

log = logging.getLogger(__name__)
JOB = "consultations-sweep"
EVERY_SECONDS = 60.0


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Close due consultations and remind those who have not answered."""
    assert context.job is not None
    await _sweep(cast(ConsultationService, context.job.data))


async def _sweep(consultations: ConsultationService) -> None:
    closed = await consultations.sweep()
    if closed:
        log.info("consultations closed at their time: %s", closed)
    reminded = await consultations.send_reminders()
    if reminded:
        log.info("consultation reminders queued: %d", reminded)


async def start(queue: JobQueue[Any] | None, consultations: ConsultationService) -> None:
    """Run once now (catch-up), then every minute (at start-up, once updates flow)."""
    await _sweep(consultations)
    if queue is None:
        log.warning("no job queue: consultations close only at start-up or by hand")
        return
    queue.run_repeating(sweep, EVERY_SECONDS, first=EVERY_SECONDS, data=consultations, name=JOB)
