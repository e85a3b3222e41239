"""Duty reminders over HTTP against the sandbox, the clock moved by the test."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.duties.sweep import CaseAlert
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.duties import DIGEST_JOB, SWEEP_JOB, TICK_JOB
from tests.e2e.conftest import add_officer, drained
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
remind = ["5d", "1d", "8h"]
escalate_after = "1d"

[[duty]]
id = "model-story-column"
vi = "Chuyên mục Dân vận khéo"
en = "Skilful mobilisation column"
role = "culture"
every = "month"
day = 20
time = "17:00"
remind = ["2d"]
escalate_after = "2d"
"""
HOA, BINH, MAI, NAM = 2001, 2002, 2003, 3001


@pytest.fixture
async def bot_settings(settings: Settings, sandbox: SandboxServer, tmp_path: Path) -> Settings:
    path = tmp_path / "duties.toml"
    path.write_text(CALENDAR, encoding="utf-8")
    duties = {
        "calendar": str(path),
        "digest": True,
        "digest_weekday": "fri",
        "digest_time": "16:00",
    }
    return replace(
        settings,
        bot_token=sandbox.token,
        bot_api_url=sandbox.root_url,
        sections={"duties": duties},
    )


@pytest.fixture
async def officers(settings: Settings, clock: ManualClock) -> None:
    await add_officer(settings, clock, HOA, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, BINH, "Anh Bình", Role.OFFICE)
    await add_officer(settings, clock, MAI, "Chị Mai", Role.CULTURE)
    await add_officer(settings, clock, NAM, "Ông Nam", Role.CHAIRMAN)


async def test_reminders_reach_the_right_officers_on_time_and_stop_when_done(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock, officers: None
) -> None:
    hoa, binh, mai, nam = (sandbox.user(i) for i in (HOA, BINH, MAI, NAM))
    async with running(bot_settings, clock) as bot:
        clock.set(local(2026, 3, 18, 16, 59))
        await run_job(bot, TICK_JOB)
        assert all(u.texts == [] for u in (hoa, binh, mai, nam))
        clock.set(local(2026, 3, 18, 17))  # two days before the column is due
        await run_job(bot, TICK_JOB)
        column = await mai.next_message()
        assert "Nhắc việc" in column.text and "Dân vận khéo" in column.text
        assert "17:00, thứ Sáu 20/03/2026" in column.text
        assert hoa.texts == [] and binh.texts == [] and nam.texts == []

        clock.set(local(2026, 3, 20, 16))  # five days before the monthly report
        await run_job(bot, TICK_JOB)
        for office in (hoa, binh):
            reminder = await office.next_message()
            assert "Báo cáo tháng" in reminder.text and "thứ Tư 25/03/2026" in reminder.text
        await hoa.press("✅ Đã xong")
        answer = await hoa.press("✅ Đúng, đã xong", await hoa.wait_for(contains="là đã xong?"))
        assert answer.text == "Đã ghi nhận. Cảm ơn đồng chí!"
        await hoa.wait_for(contains="Chị Hoa đã hoàn thành")

        clock.set(local(2026, 3, 27, 16))  # past due: but the report is done
        await run_job(bot, TICK_JOB)
        await run_job(bot, TICK_JOB)
        overdue = await mai.next_message()  # the column was never done
        assert "Đã quá hạn" in overdue.text and "Dân vận khéo" in overdue.text
        # the reminder, the question and its edit into the done note
        assert len(hoa.texts) == 3 and len(binh.texts) == 1
        assert len(mai.texts) == 2
        escalation = await nam.next_message()
        assert "Chưa hoàn thành đúng hạn" in escalation.text and "Chị Mai" in escalation.text
        assert "Báo cáo tháng" not in "\n".join(nam.texts)


async def test_escalation_reaches_the_chairman_once(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock, officers: None
) -> None:
    nam, hoa = sandbox.user(NAM), sandbox.user(HOA)
    async with running(bot_settings, clock) as bot:
        clock.set(local(2026, 3, 25, 16))
        await run_job(bot, TICK_JOB)
        await hoa.wait_for(contains="Báo cáo tháng")
        clock.set(local(2026, 3, 26, 15, 59))
        await run_job(bot, TICK_JOB)
        assert not any("Báo cáo tháng" in t for t in nam.texts)
        clock.set(local(2026, 3, 26, 16))  # one day late
        await run_job(bot, TICK_JOB)
        told = await nam.wait_for(contains="Báo cáo tháng")
        assert "Chưa hoàn thành đúng hạn" in told.text
        assert "Anh Bình, Chị Hoa" in told.text
        clock.set(local(2026, 3, 30, 16))
        await run_job(bot, TICK_JOB)
        assert sum("Báo cáo tháng" in t for t in nam.texts) == 1


async def test_restart_after_three_days_down_sends_each_missed_reminder_once(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock, officers: None
) -> None:
    hoa, binh, mai, nam = (sandbox.user(i) for i in (HOA, BINH, MAI, NAM))
    async with running(bot_settings, clock) as bot:
        clock.set(local(2026, 3, 20, 17))
        await run_job(bot, TICK_JOB)
        await mai.wait_for(contains="Dân vận khéo")
        await mai.press("✅ Đã xong")  # done before the downtime: never reminded again
        await mai.press("✅ Đúng, đã xong", await mai.wait_for(contains="là đã xong?"))
        clock.set(local(2026, 3, 24, 16))
        await run_job(bot, TICK_JOB)
        await hoa.wait_for(contains="thứ Tư 25/03/2026")
    counts = {u.id: len(u.texts) for u in (hoa, binh, mai, nam)}
    assert counts == {HOA: 2, BINH: 2, MAI: 3, NAM: 0}  # Mai: reminder, question, note

    # Down from Tuesday 16:00 to Friday 16:30: the 8h reminder, two overdue
    # reminders and the escalation all fell due meanwhile.
    clock.set(local(2026, 3, 27, 16, 30))
    async with running(bot_settings, clock) as bot:
        await drained(bot)  # the start-up catch-up goes through the outbox
        new = {u.id: u.texts[counts[u.id] :] for u in (hoa, binh, mai, nam)}
        assert [len(new[i]) for i in (HOA, BINH, MAI)] == [1, 1, 0]
        assert "Đã quá hạn" in new[HOA][0] and "Đã quá hạn" in new[BINH][0]
        assert len([t for t in new[NAM] if "Chưa hoàn thành đúng hạn" in t]) == 1
        after_start = {u.id: len(u.texts) for u in (hoa, binh, mai, nam)}
        await run_job(bot, TICK_JOB)
        await run_job(bot, TICK_JOB)
        assert {u.id: len(u.texts) for u in (hoa, binh, mai, nam)} == after_start


class Cases:
    async def due_soon(self, today: date, until: date):
        return [CaseAlert("PA-0042", "Đường thôn Tân Hưng hỏng", until)]

    async def overdue(self, today: date):
        return [CaseAlert("KN-0007", "Ô nhiễm nguồn nước", date(2026, 3, 20))]


async def test_sweep_and_digest_run_at_fixed_times_in_the_communes_zone(
    sandbox: SandboxServer,
    bot_settings: Settings,
    settings: Settings,
    clock: ManualClock,
    officers: None,
) -> None:
    await add_officer(settings, clock, 4001, "Anh Tư", Role.JUSTICE)
    justice, nam = sandbox.user(4001), sandbox.user(NAM)
    async with running(bot_settings, clock) as bot:
        assert bot.app.job_queue is not None
        for name, fields in (
            (SWEEP_JOB, "hour='7', minute='30'"),
            (DIGEST_JOB, "day_of_week='fri'"),
        ):
            (job,) = bot.app.job_queue.get_jobs_by_name(name)
            trigger = job.job.trigger
            assert isinstance(trigger, CronTrigger) and str(trigger.timezone) == "Asia/Ho_Chi_Minh"
            assert all(part in repr(trigger) for part in fields.split(", "))
        bot.services.duties.sweep.source = Cases()
        clock.set(local(2026, 3, 23, 7, 30))
        await run_job(bot, SWEEP_JOB)
        warned = await justice.next_message()
        assert "PA-0042" in warned.text and "thứ Tư 25/03/2026" in warned.text
        assert "KN-0007" in (await nam.next_message()).text
        await run_job(bot, SWEEP_JOB)  # the same day again: nothing more
        clock.set(local(2026, 3, 27, 16))
        await run_job(bot, TICK_JOB)
        await run_job(bot, DIGEST_JOB)
        digest = await nam.wait_for(contains="Tổng hợp tuần")
        assert "Nhiệm vụ đang chậm: 2" in digest.text
    assert len(justice.texts) == 1
