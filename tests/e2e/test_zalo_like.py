"""A Zalo-like citizen: the real bot built for ZALO_BOT_SPEC (no buttons, no edits, plain text,
2,000 characters) against the sandbox, walked end to end through the channel seam."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import ZALO_BOT_SPEC
from sandbox import SandboxServer
from tests.e2e.duty_helpers import running


@pytest.fixture
def zalo_settings(bot_settings: Settings) -> Settings:
    return bot_settings


async def test_smoke(sandbox: SandboxServer, zalo_settings: Settings, clock: ManualClock) -> None:
    async with running(zalo_settings, clock, channel=ZALO_BOT_SPEC):
        lan = sandbox.user(1001, first_name="Lan", language_code="vi")
        await lan.send("xin chào")
        greeting = await lan.next_message()
        print(repr(greeting.text))
        await lan.send("1")
        step = await lan.next_message()
        print(repr(step.text))
        for c in sandbox.state.calls_for(None, 1001):
            print(c.method, c.params)
