"""Shared fixtures: a real database file, settings, and a clock tests can set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings, load_settings
from bot.core.db import Database


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
