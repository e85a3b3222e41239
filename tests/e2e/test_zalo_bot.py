"""The Zalo Bot channel end to end: the real application over the gateway, the sandbox as Zalo."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.e2e.duty_helpers import running
from tests.e2e.zalo_steps import zalo_running, zalo_settings


@pytest.fixture
async def both(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock
) -> AsyncIterator[tuple[RunningBot, RunningBot]]:
    """Telegram (which opens the services and runs the sender) and Zalo Bot beside it."""
    settings = zalo_settings(bot_settings, sandbox)
    async with running(settings, clock) as host:
        async with zalo_running(settings, clock, host.services) as guest:
            yield host, guest


async def test_a_zalo_question_without_diacritics_is_answered(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    lan = sandbox.zalo_user(5001, "Lan", "Nguyễn Thị")
    await lan.send("lam giay khai sinh cho con can giay to gi")
    answer = await lan.next_message(contains="Đăng ký khai sinh")
    assert "Giấy chứng sinh" in answer.text
    assert "<b>" not in answer.text and len(answer.text) <= 2000
    # Zalo's string id has a number of its own; the citizen is on the zalo_bot channel.
    number = await zalo.services.db.scalar(
        "SELECT local_id FROM zalo_bot_ids WHERE zalo_id = ?", (lan.zalo_id,)
    )
    assert number is not None
    stats = await zalo.services.faq.stats()
    assert stats.asked == 1
