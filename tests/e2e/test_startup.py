"""Start-up: the bot answers before the reminders' draft reports are built."""

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.duties.calendar import Duty
from bot.duties.repository import Period
from bot.messaging.messages import Attachment
from bot.people.officers import Role
from bot.reports.duty_drafts import DraftReports
from handlers.telegram.app import build_application
from handlers.telegram.runner import serve
from sandbox import SandboxServer
from tests.e2e.conftest import add_officer, receiving
from tests.e2e.duty_helpers import local
from tests.e2e.test_report_duty import CALENDAR


@pytest.fixture
async def bot_settings(settings: Settings, sandbox: SandboxServer, tmp_path: Path) -> Settings:
    path = tmp_path / "duties.toml"
    path.write_text(CALENDAR, encoding="utf-8")
    return replace(
        settings,
        bot_token=sandbox.token,
        bot_api_url=sandbox.root_url,
        sections={"duties": {"calendar": str(path)}},
    )


async def test_the_bot_answers_while_a_reminders_draft_is_still_being_built(
    sandbox: SandboxServer,
    bot_settings: Settings,
    settings: Settings,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The draft is built behind a gate this test holds closed until the bot has answered.
    gate, building = asyncio.Event(), asyncio.Event()
    build = DraftReports.for_period

    async def gated(self: DraftReports, duty: Duty, period: Period) -> Attachment | None:
        building.set()
        await gate.wait()
        return await build(self, duty, period)

    monkeypatch.setattr(DraftReports, "for_period", gated)
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    hoa, lan = sandbox.user(2001, first_name="Hoa"), sandbox.user(1001, first_name="Lan")
    clock.set(local(2026, 3, 20, 16))  # the monthly report's reminder is due at start-up
    stop = asyncio.Event()
    app = build_application(bot_settings, clock)
    task = asyncio.create_task(serve(app, bot_settings, stop, poll_timeout=1))
    try:
        bot = await receiving(app, bot_settings, task)
        await lan.start()
        assert "Xin chào" in (await lan.next_message()).text
        await building.wait()  # the catch-up did reach the draft, and is held there
        assert not bot.services.duties.caught_up.is_set() and hoa.messages == []
        gate.set()
        reminder = await hoa.next_message(timeout=60)  # charts and Word: seconds under load
        assert reminder.kind == "document"
        assert reminder.data["document"]["file_name"] == "bao-cao-2026-03.docx"
    finally:
        gate.set()
        stop.set()
        await asyncio.wait_for(task, 10)
