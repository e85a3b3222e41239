"""Fixtures: a sandbox on an ephemeral port, a real telegram.Bot and a small PTB Application."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder

from sandbox import SandboxServer

AppFactory = Callable[[Callable[[Application], None]], Awaitable[Application]]


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer()
    await server.start(port=0)
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def bot(sandbox: SandboxServer) -> AsyncIterator[Bot]:
    tg = Bot(sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    await tg.initialize()
    try:
        yield tg
    finally:
        await tg.shutdown()


@pytest.fixture
async def make_app(sandbox: SandboxServer) -> AsyncIterator[AppFactory]:
    """Build, start and poll an Application; everything is stopped at teardown."""
    apps: list[Application] = []

    async def factory(setup: Callable[[Application], None]) -> Application:
        app = (
            ApplicationBuilder()
            .token(sandbox.token)
            .base_url(sandbox.base_url)
            .base_file_url(sandbox.base_file_url)
            .job_queue(None)
            .build()
        )
        setup(app)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
