"""The dialogues job: tell the author when questions close, and finish what a crash
interrupted (an announcement not queued, the answers not filed in /news). Data-driven
(state in SQLite), so a restart catches up."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram.ext import ContextTypes, JobQueue

from bot.dialogues.service import DialogueService

log = logging.getLogger(__name__)
JOB = "dialogues-sweep"
EVERY_SECONDS = 300.0


async def sweep(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell authors whose questions closed; queue what a crash left unqueued."""
    assert context.job is not None
    await cast(DialogueService, context.job.data).sweep()


async def start(queue: JobQueue[Any] | None, dialogues: DialogueService) -> None:
    """Run once now (catch-up), then every few minutes (at start-up, once updates flow)."""
    await dialogues.sweep()
    if queue is None:
        log.warning("no job queue: dialogues catch up only at start-up")
        return
    queue.run_repeating(sweep, EVERY_SECONDS, first=EVERY_SECONDS, data=dialogues, name=JOB)
