"""Shared fixtures: a real database file, settings, and a clock tests can set."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import threading
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


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database with every migration applied, made once per worker.

    Migrating a new file costs about 0.07 s of CPU and 0.3 s in all (each
    migration commits with a full sync), and the suite makes some four hundred.
    `tests/storage/test_db.py` and the tests of single migrations migrate
    their own files; `python -m bot run` in the subprocess tests does too.
    """
    path = tmp_path_factory.mktemp("migrated") / "danvan.db"

    async def migrate() -> None:
        await (await Database.open(path)).close()

    # Its own thread and loop: the caller may be inside the test's event loop.
    worker = threading.Thread(target=asyncio.run, args=(migrate(),))
    worker.start()
    worker.join()
    assert not path.with_name("danvan.db-wal").exists()  # all of it is in the one file
    return path


@pytest.fixture
def settings(tmp_path: Path, migrated: Path) -> Settings:
    """Default settings with the database in a temporary folder, a copy of `migrated`."""
    shutil.copyfile(migrated, tmp_path / "danvan.db")
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
