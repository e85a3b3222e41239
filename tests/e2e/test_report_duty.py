"""A reporting duty's reminder carries the draft report of the period it falls in."""

import io
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.duties import TICK_JOB
from tests.e2e.conftest import add_officer
from tests.e2e.duty_helpers import local, run_job, running

CALENDAR = """
[[duty]]
id = "report-monthly"
vi = "Báo cáo tháng về công tác dân vận chính quyền"
en = "Monthly outreach report"
role = "office"
every = "month"
day = 25
time = "16:00"
remind = ["5d"]
report = "month"
"""


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


async def test_the_report_reminder_carries_the_draft(
    sandbox: SandboxServer, bot_settings: Settings, settings: Settings, clock: ManualClock
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    hoa = sandbox.user(2001, first_name="Hoa")
    async with running(bot_settings, clock) as bot:
        clock.set(local(2026, 3, 20, 16))  # five days before the monthly report
        await run_job(bot, TICK_JOB)
        reminder = await hoa.next_message()
        assert reminder.kind == "document"
        assert reminder.data["document"]["file_name"] == "bao-cao-2026-03.docx"
        assert "Báo cáo tháng" in (reminder.caption or "")
        assert any("Đã xong" in label for row in reminder.buttons for label, _ in row)
        stored = sandbox.state.files.get(reminder.data["document"]["file_id"])
        assert stored is not None and stored.data is not None
        draft = docx.Document(io.BytesIO(stored.data))
        text = "\n".join(p.text for p in draft.paragraphs)
        assert "BÁO CÁO" in text and "tháng 3 năm 2026" in text
        assert (Path(settings.database_path).parent / "reports" / "bao-cao-2026-03.docx").exists()
        assert bot.services.duties is not None
