"""Shared fixtures: a real database file, settings, and a clock tests can set."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx._transports.default as httpx_transports
import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings, load_settings
from bot.core.db import Database


@pytest.fixture(autouse=True, scope="session")
def one_tls_context() -> Iterator[None]:
    """HTTP clients with default TLS settings share one context for the whole run.

    httpx loads the CA bundle into a new SSL context for every client it
    builds, and a bot start builds ten (the application's two, the outbox
    sender's eight): about two thirds of the CPU of starting the bot, which
    the e2e tests do some hundred times, though they only speak plain HTTP
    to 127.0.0.1. Only the default case is shared; any other is built as usual.
    """
    build = httpx_transports.create_ssl_context
    shared: list[ssl.SSLContext] = []

    def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None or not trust_env:
            return build(verify=verify, cert=cert, trust_env=trust_env)
        if not shared:
            shared.append(build())
        return shared[0]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx_transports, "create_ssl_context", create_ssl_context)
        yield


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with the database in a temporary folder."""
    return load_settings(
        {"DATABASE_URL": f"sqlite:///{tmp_path}/danvan.db"},
        config_path=tmp_path / "absent.toml",
        dotenv_path=tmp_path / "absent.env",
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = await Database.open(settings.database_path)
    yield database
    await database.close()
