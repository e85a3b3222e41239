"""Running the Zalo Bot application beside the Telegram one, against the sandbox's Zalo Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.services import Services
from handlers.zalo_bot.app import build_zalo_bot, serve_zalo_bot
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
        yield await receiving(app, settings, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
