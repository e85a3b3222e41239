"""Running the Zalo Bot application beside the Telegram one, against the sandbox's Zalo Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.services import Services
from handlers.telegram.common import TelegramApp
from handlers.zalo_bot.app import WEBHOOK_KEY, build_zalo_bot, serve_zalo_bot
from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot, receiving


def zalo_settings(settings: Settings, sandbox: SandboxServer, **zalo: object) -> Settings:
    """The settings with the sandbox as the Zalo Bot API (and `zalo` overrides)."""
    own = replace(
        settings.zalo_bot, token=sandbox.zalo_token, api_url=sandbox.zalo_root_url, **zalo
    )
    return replace(settings, zalo_bot=own)


@asynccontextmanager
async def zalo_running(
    settings: Settings, clock: ManualClock, services: Services | None = None
) -> AsyncIterator[RunningBot]:
    """The Zalo Bot application until the block ends (sharing `services` when given)."""
    stop = asyncio.Event()
    app = build_zalo_bot(settings, clock, services)
    task = asyncio.create_task(serve_zalo_bot(app, settings, stop, poll_timeout=1))
    try:
        yield await _receiving(app, settings, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def _receiving(app: TelegramApp, settings: Settings, task: asyncio.Task[None]) -> RunningBot:
    """Wait until the application handles updates: polling, or its webhook endpoint listening."""
    if not settings.zalo_bot.webhook_url:
        return await receiving(app, settings, task)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while not (app.running and WEBHOOK_KEY in app.bot_data):
        if task.done():
            task.result()
            raise AssertionError("the Zalo Bot application stopped before it started")
        if loop.time() > deadline:
            raise AssertionError("the Zalo Bot application did not start within 60s")
        await asyncio.sleep(0.01)
    return RunningBot(app, settings)
