"""The channel seam: a person's channel is the receiving application's; flows work without edits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import TELEGRAM, ChannelSpec, Recipient
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import Audience
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.cases_steps import CODE_RE, to_files
from tests.e2e.conftest import add_officer
from tests.e2e.duty_helpers import running
from tests.e2e.outreach import copies, seed_citizens, until, with_broadcast
from tests.e2e.test_onboarding import onboard

OFFICER = 2001
SECOND = ChannelSpec("second_app", can_edit=True, inline_buttons=True, text_limit=4096)
NO_EDITS = ChannelSpec(TELEGRAM, can_edit=False, inline_buttons=True, text_limit=4096)


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


async def test_onboarding_feedback_post_and_faq_complete_without_edits(
    sandbox: SandboxServer, settings: Settings, bot_settings: Settings, clock: ManualClock
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(50_000, 50_003))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    async with running(bot_settings, clock, channel=NO_EDITS):
        await onboard(sandbox, 1001)  # each step a new message with its buttons

        lan = sandbox.user(1002, first_name="Lan")
        await to_files(lan)
        await lan.press("Tiếp tục")
        await lan.wait_for(contains="không bao giờ công khai")
        await lan.press("Gửi ẩn danh")
        await lan.wait_for(lambda m: "Người gửi: ẩn danh" in m.content and bool(m.buttons))
        await lan.press("✅ Gửi")
        assert CODE_RE.search((await lan.wait_for(contains="Mã tra cứu")).text)

        hoa = sandbox.user(OFFICER, first_name="Hoa")
        await hoa.send("/post")
        await hoa.wait_for(contains="Gửi cho tôi nội dung")
        await hoa.send("Thông báo lịch tiêm chủng")
        await hoa.wait_for(contains="chuyên mục nào")
        await hoa.press("Dân vận khéo")
        await hoa.press("Tất cả")
        await hoa.press("Gửi ngay")
        await hoa.press("✅ Gửi", await hoa.wait_for(contains="Số người nhận: 4"))
        await hoa.wait_for(contains="Tin #1 đã gửi xong")  # the report: a new message
        assert all(copies(sandbox, i, "lịch tiêm chủng") == 1 for i in [*ids, 1001])

        hung = sandbox.user(1003, first_name="Hùng")
        await hung.send("lam so do o dau")
        await hung.press("Làm sổ đỏ lần đầu", await hung.wait_for(contains="muốn hỏi"))
        shown = await hung.wait_for(lambda m: "04/ĐK" in m.text)
        await hung.press("❌ Không đúng điều tôi hỏi", shown)
        await hung.wait_for(contains="gửi câu hỏi tới cán bộ xã")

    edits = [call.method for call in sandbox.state.calls if call.method.lower().startswith("edit")]
    assert edits == []
