"""Zalo OA's messaging window, end to end: a Telegram officer's answer to a citizen on a
channel with a window waits for the citizen's next message, and goes then.

The citizen's application is a test double of the OA (the sandbox speaks the
Bot API, not Zalo's): a channel named `zalo_oa`, so the window is the one
ZALO_OA_SEND_WINDOW gives it. What is under test is the outbox's rule.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import ZALO_OA_SPEC, Recipient
from bot.people.officers import Role
from bot.services import Services
from sandbox import SandboxServer
from tests.e2e.cases_steps import file_anonymous_feedback
from tests.e2e.conftest import StartBot, add_officer
from tests.e2e.duty_helpers import running
from tests.e2e.outreach import seed_citizens, seed_silent_oa_citizens
from tests.e2e.test_broadcasts import compose_text
from tests.e2e.test_cli_broadcast import cli

OFFICER = 2001
# Edits as on Telegram keep the feedback form's steps those of the other tests.
OA_DOUBLE = replace(ZALO_OA_SPEC, can_edit=True)


@pytest.fixture
async def oa_sandbox() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(token="7000000003:SANDBOX_zalo_oa_double", personas=[])
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


async def test_an_answer_outside_the_window_waits_for_the_citizens_next_message(
    sandbox: SandboxServer, oa_sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock
) -> None:
    await add_officer(bot_settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    oa = replace(bot_settings, bot_token=oa_sandbox.token, bot_api_url=oa_sandbox.root_url)
    async with (
        running(bot_settings, clock) as host,
        running(oa, clock, channel=OA_DOUBLE, services=host.services),
    ):
        svc = host.services
        hoa = sandbox.user(OFFICER, first_name="Hoa")
        lan = oa_sandbox.user(1001, first_name="Lan")
        code = await file_anonymous_feedback(lan)
        card = await hoa.wait_for(contains=code)

        clock.advance(timedelta(hours=49))  # Lan has not written for 49 hours
        await hoa.press("Trả lời", card)
        await hoa.wait_for(contains="Gửi nội dung trả lời")
        await hoa.send("Xã đã cho san lấp đoạn đường sụt lún.")
        await hoa.press("Gửi câu trả lời")
        told = await hoa.wait_for(contains="đang chờ công dân")
        assert code in told.text
        lan_on_oa = Recipient(OA_DOUBLE.name, "1001")
        await held_back(svc, lan_on_oa, 1)
        assert not [t for t in lan.texts if "san lấp" in t]

        await hoa.send(f"/case {code}")
        await hoa.wait_for(contains="Câu trả lời đang chờ công dân nhắn tin")

        await lan.send("xin chào")
        notice = await lan.wait_for(contains="Bạn có 1 câu trả lời đang chờ")
        answer = await lan.wait_for(contains="san lấp")
        assert notice.message_id < answer.message_id
        assert await svc.outbox.held(lan_on_oa) == 0


async def held_back(svc: Services, who: Recipient, count: int) -> None:
    """Wait until the sender has held `count` notifications back for `who`."""
    for _ in range(400):
        if await svc.outbox.held(who) == count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not {count} held: {await svc.outbox.held(who)}")


async def test_the_cli_broadcast_ends_with_exit_0_when_only_window_leftovers_remain(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock
) -> None:
    await seed_citizens(settings, clock, sandbox, range(61_000, 61_003))
    await seed_silent_oa_citizens(settings, clock, "zalo-1", "zalo-2")
    sent = await asyncio.to_thread(
        cli, settings, "broadcast", "--text", "Lịch tiêm phòng", sandbox=sandbox
    )
    assert sent.returncode == 0, sent.stderr
    assert "Broadcast #1: 5 recipients" in sent.stdout
    assert "sent 3 · failed 0 · blocked 0 · outside Zalo's window 2 · remaining 0" in sent.stdout


async def test_post_progress_and_broadcasts_count_those_outside_the_window(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, range(62_000, 62_002))
    await seed_silent_oa_citizens(settings, clock, "zalo-3")
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    summary = await compose_text(hoa, "Lịch tiêm phòng cho trẻ", ["Tất cả"])
    assert "Số người nhận: 2 (và 1 người ngoài khung 48 giờ của Zalo: sẽ không gửi)" in summary.text
    await hoa.press("✅ Gửi", summary)

    report = await hoa.wait_for(contains="đã gửi xong")
    # The progress note opened (and was edited since) as the preview said: 2 reached.
    sent = [str(c.params.get("text")) for c in sandbox.state.calls_for("sendMessage", OFFICER)]
    assert any("đang gửi tới 2 người dân" in text for text in sent)
    counts = "Đã gửi: 2 · Lỗi: 0 · Đã chặn bot: 0 · Còn lại: 0 · Ngoài khung 48 giờ của Zalo: 1"
    assert counts in report.text
    await hoa.send("/broadcasts")
    listing = await hoa.wait_for(contains="Các tin đã gửi")
    assert counts in listing.text
