"""The channel seam: a person's channel is the channel of the application that received them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import TELEGRAM, ChannelSpec, Recipient
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import Audience
from sandbox import SandboxServer
from tests.e2e.duty_helpers import running
from tests.e2e.outreach import copies, until, with_broadcast
from tests.e2e.test_onboarding import onboard

OFFICER = 2001
SECOND = ChannelSpec("second_app", can_edit=True, inline_buttons=True, text_limit=4096)


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    fast = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    return with_broadcast(fast, allow_any_rate=True, rate=300)


@pytest.fixture
async def second_sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(token="7000000002:SANDBOX_second_application", personas=[])
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


async def test_two_applications_share_one_services_and_keep_their_channels(
    sandbox: SandboxServer,
    second_sandbox: SandboxServer,
    bot_settings: Settings,
    clock: ManualClock,
) -> None:
    other = replace(
        bot_settings, bot_token=second_sandbox.token, bot_api_url=second_sandbox.root_url
    )
    async with running(bot_settings, clock) as host:
        svc = host.services
        async with running(other, clock, channel=SECOND, services=svc) as guest:
            assert guest.services is svc
            await onboard(sandbox, 1001)  # the same number on both: two different people
            await onboard(second_sandbox, 1001)
            on_telegram = await svc.citizens.get(Recipient(TELEGRAM, "1001"))
            on_second = await svc.citizens.get(Recipient(SECOND.name, "1001"))
            assert on_telegram is not None and on_telegram.onboarded
            assert on_second is not None and on_second.onboarded
            assert on_telegram.id != on_second.id

            # The one outbox sender reaches each citizen through their own application.
            author = Recipient("cli", "test")
            draft = await svc.broadcasts.start_draft(author, None)
            text = "Lịch cắt điện ngày mai"
            await svc.broadcasts.update_draft(
                author, draft.id, message=OutgoingMessage(text), audience=Audience()
            )
            await svc.broadcasts.confirm(author, draft.id)
            await until(
                lambda: (
                    copies(sandbox, 1001, text) == 1 and copies(second_sandbox, 1001, text) == 1
                ),
                what="the broadcast on both channels",
            )
        # The guest neither closed the shared services nor left its channel behind.
        assert SECOND.name not in svc.channels
        assert await svc.citizens.get(Recipient(SECOND.name, "1001")) is not None
