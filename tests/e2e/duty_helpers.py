"""Helpers for the duty journeys: a bot we can stop and restart, ticks on demand."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.clock import ManualClock
from bot.core.config import Settings
from handlers.telegram.app import build_application
from handlers.telegram.runner import serve
from tests.e2e.conftest import RunningBot, caught_up, drained, receiving

HN = ZoneInfo("Asia/Ho_Chi_Minh")


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=HN).astimezone(UTC)


@asynccontextmanager
async def running(
    settings: Settings, clock: ManualClock, **options: Any
) -> AsyncIterator[RunningBot]:
    """Run the bot until the block ends: a restart is simply a second block.

    `options` go to `build_application` (another channel, shared services).
    """
    stop = asyncio.Event()
    app = build_application(settings, clock, **options)
    task = asyncio.create_task(serve(app, settings, stop, poll_timeout=1))
    try:
        bot = await receiving(app, settings, task)
        await caught_up(bot, task)
        yield bot
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def run_job(bot: RunningBot, name: str) -> None:
    """Run a registered job now, through PTB's JobQueue, as its trigger would.

    Then wait until the outbox delivered what the job queued: the test sees
    every message the job sent, and a chat with nothing new got nothing.
    """
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name(name)
    await job.run(bot.app)
    await drained(bot)
