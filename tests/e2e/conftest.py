"""The real bot, over HTTP, against the sandbox on an ephemeral port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.people.officers import OfficerRepository, Role
from bot.services import Services
from handlers.telegram.app import build_application
from handlers.telegram.common import SERVICES_KEY, TelegramApp
from handlers.telegram.runner import serve
from sandbox import SandboxServer


@dataclass
class RunningBot:
    """A started bot: its application, its services and its settings."""

    app: TelegramApp
    settings: Settings

    @property
    def services(self) -> Services:
        services: Services = self.app.bot_data[SERVICES_KEY]
        return services


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(personas=[])
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    return replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)


async def add_officer(
    settings: Settings, clock: ManualClock, user_id: int, name: str, *roles: Role
) -> None:
    """Register an officer straight in the database, as the CLI does."""
    db = await Database.open(settings.database_path)
    try:
        await OfficerRepository(db, clock).add(Recipient.telegram(user_id), name, set(roles))
    finally:
        await db.close()


StartBot = Callable[[], Awaitable[RunningBot]]


@pytest.fixture
async def start_bot(bot_settings: Settings, clock: ManualClock) -> AsyncIterator[StartBot]:
    """Start the bot on demand (after a test seeds what it needs); stopped at the end."""
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def start() -> RunningBot:
        app = build_application(bot_settings, clock)
        tasks.append(asyncio.create_task(serve(app, bot_settings, stop, poll_timeout=1)))
        bot = await receiving(app, bot_settings, tasks[-1])
        await caught_up(bot, tasks[-1])
        return bot

    yield start
    stop.set()
    for task in tasks:
        await asyncio.wait_for(task, 10)


async def receiving(
    app: TelegramApp,
    settings: Settings,
    task: asyncio.Task[None],
    timeout: float = 60.0,  # noqa: ASYNC109
) -> RunningBot:
    """Wait until the bot receives and handles updates (`task` runs `serve`), or fail if
    `serve` ended. The deadline is generous: start-up takes seconds on a busy machine."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (app.running and app.updater is not None and app.updater.running):
        if task.done():
            task.result()
            raise AssertionError("the bot stopped before it started")
        if loop.time() > deadline:
            raise AssertionError(f"the bot did not start within {timeout}s")
        await asyncio.sleep(0.01)
    return RunningBot(app, settings)


async def caught_up(bot: RunningBot, task: asyncio.Task[None]) -> None:
    """Wait until the start-up catch-up (missed reminders, sweep) has run, in the background."""
    waiter = asyncio.create_task(bot.services.duties.caught_up.wait())
    done, _ = await asyncio.wait({waiter, task}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    if waiter not in done:
        waiter.cancel()
        if task.done():
            task.result()
        raise AssertionError("the start-up catch-up did not run")


@pytest.fixture
async def running_bot(start_bot: StartBot) -> RunningBot:
    return await start_bot()


async def drained(bot: RunningBot, timeout: float = 90.0) -> None:  # noqa: ASYNC109
    """Wait until the outbox has delivered (or given up on) all that is queued.

    Messages the bot sends on its own initiative go through the outbox and
    reach the chat a moment later: a test that counts them waits for this.
    A row for an officer or group whose chat refused (`refusals` > 0) waits
    on its retry schedule, minutes away: it is settled for now.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    busy = (
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'sending'"
        " OR (state = 'pending' AND refusals = 0))"
    )
    while await bot.services.db.scalar(busy):
        if loop.time() > deadline:
            raise AssertionError(f"the outbox did not drain within {timeout}s")
        await asyncio.sleep(0.02)
