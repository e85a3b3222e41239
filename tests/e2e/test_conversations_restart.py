"""An officer's half-done `/post` and a duty's awaited report survive the bot going down."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.duties import TICK_JOB
from tests.e2e.conftest import add_officer
from tests.e2e.duty_helpers import local, run_job, running
from tests.e2e.outreach import copies, seed_citizens, until, with_broadcast
from tests.e2e.test_crash import start_bot_process

CULTURE, OFFICE = 2001, 2002
TEXT = "Thông báo: họp dân bàn làm đường liên thôn tối thứ Sáu."


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    fast = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    return with_broadcast(fast, allow_any_rate=True, rate=300)


def confirmed(sandbox: SandboxServer) -> bool:
    """The bot has acknowledged every update: none will be delivered to it again."""
    return not sandbox.state.updates.pending


async def test_post_waiting_for_its_content_survives_a_kill(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(40_000, 40_005))
    await add_officer(settings, clock, CULTURE, "Chị Hoa", Role.CULTURE)
    hoa = sandbox.user(CULTURE, first_name="Hoa")
    first = start_bot_process(settings, sandbox, tmp_path, 1)
    try:
        await hoa.send("/post")
        await hoa.wait_for(contains="Gửi cho tôi nội dung", timeout=90)
        await until(lambda: confirmed(sandbox), 10, "/post acknowledged")
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        await asyncio.to_thread(first.wait, 10)

    second = start_bot_process(settings, sandbox, tmp_path, 2)
    try:
        await hoa.send(TEXT)  # taken as the post's content, not as a question
        await hoa.wait_for(contains="chuyên mục nào", timeout=90)
        await hoa.press("Dân vận khéo")
        await hoa.press("Tất cả")
        await hoa.press("Gửi ngay")
        summary = await hoa.wait_for(contains="Số người nhận: 5")
        await hoa.press("✅ Gửi", summary)
        await until(lambda: all(copies(sandbox, i, TEXT) == 1 for i in ids), 30, "the post")
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 15)
    assert second.returncode == 0


async def test_post_waiting_for_its_date_time_survives_a_restart(
    sandbox: SandboxServer, settings: Settings, bot_settings: Settings, clock: ManualClock
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(41_000, 41_005))
    await add_officer(settings, clock, CULTURE, "Chị Hoa", Role.CULTURE)
    hoa = sandbox.user(CULTURE, first_name="Hoa")
    async with running(bot_settings, clock):
        await hoa.send("/post")
        await hoa.wait_for(contains="Gửi cho tôi nội dung")
        await hoa.send(TEXT)
        await hoa.wait_for(contains="chuyên mục nào")
        await hoa.press("Dân vận khéo")
        await hoa.press("Tất cả")
        await hoa.press("Hẹn giờ")
        await hoa.wait_for(contains="Nhập ngày giờ")
    assert confirmed(sandbox)

    async with running(bot_settings, clock):
        await hoa.send("8h sáng mai")  # Monday 2 March 2026, 09:00 in Hà Nội
        assert "08:00, thứ Ba 03/03/2026" in (await hoa.wait_for(contains="Hẹn gửi lúc")).text
        summary = await hoa.wait_for(contains="Số người nhận: 5")
        await hoa.press("✅ Hẹn giờ gửi", summary)
        await hoa.wait_for(contains="Tin #1 đã được hẹn gửi lúc")
        clock.advance(timedelta(hours=23))  # Tuesday, 08:00
        await until(lambda: all(copies(sandbox, i, TEXT) == 1 for i in ids), what="the post")


async def test_duty_waiting_for_its_report_file_survives_a_restart(
    sandbox: SandboxServer, settings: Settings, bot_settings: Settings, clock: ManualClock
) -> None:
    await add_officer(settings, clock, OFFICE, "Chị Hoa", Role.OFFICE)
    hoa = sandbox.user(OFFICE, first_name="Hoa")
    async with running(bot_settings, clock) as bot:
        clock.set(local(2026, 3, 20, 16))
        await run_job(bot, TICK_JOB)
        reminder = await hoa.wait_for(contains="Báo cáo tháng")
        await hoa.press("📎 Đã xong, gửi kèm báo cáo", reminder)
        await hoa.wait_for(contains="gửi báo cáo ngay")
    assert confirmed(sandbox)

    async with running(bot_settings, clock) as bot:
        await hoa.send_document(filename="bao-cao-thang-3.pdf")
        confirmed_text = (await hoa.wait_for(contains="Báo cáo đã được lưu")).text
        assert "Chị Hoa đã hoàn thành" in confirmed_text
        done = await bot.services.duties.repo.done_between(clock.now(), local(2027, 1, 1))
        assert [p.done_file.filename for p in done if p.done_file] == ["bao-cao-thang-3.pdf"]
