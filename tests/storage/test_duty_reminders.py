"""The reminder engine on a real SQLite file, with a clock the test moves."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.clock import ManualClock
from bot.core.config import ConfigError, Settings
from bot.core.db import Database
from bot.duties.messages import DigestFigure
from bot.duties.service import AlreadyDone, DutyService
from bot.duties.sweep import CaseAlert
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from bot.people.access import AccessControl, PermissionDenied
from bot.people.audit import AuditLog
from bot.people.officers import OfficerRepository, Role
from bot.services import Services

HN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = """
[[duty]]
id = "report-monthly"
vi = "Báo cáo tháng"
en = "Monthly report"
role = "office"
every = "month"
day = 25
time = "16:00"
remind = ["5d", "1d", "8h"]
escalate_after = "1d"
"""
HOA, NAM, BINH, LAN = (Recipient.telegram(i) for i in (2001, 3001, 2002, 1001))


class Recorder:
    """A notifier that keeps what it was asked to send; some recipients can fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []
        self.failing: set[Recipient] = set()

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None:
        if recipient in self.failing:
            raise DeliveryError("blocked", Verdict.REFUSED)
        self.sent.append((recipient, message))

    def take(self) -> list[tuple[Recipient, str]]:
        taken = [(r, m.text) for r, m in self.sent]
        self.sent.clear()
        return taken


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=HN).astimezone(UTC)


@pytest.fixture
async def world(settings: Settings, db: Database, tmp_path: Path):
    path = tmp_path / "duties.toml"
    path.write_text(CALENDAR, encoding="utf-8")
    settings = replace(settings, sections={"duties": {"calendar": str(path)}})
    clock = ManualClock(at(2026, 3, 2, 9))
    officers = OfficerRepository(db, clock)
    await officers.add(HOA, "Chị Hoa", {Role.OFFICE})
    await officers.add(BINH, "Anh Bình", {Role.OFFICE, Role.CULTURE})
    await officers.add(NAM, "Ông Nam", {Role.CHAIRMAN})
    recorder = Recorder()
    access = AccessControl(officers, AuditLog(db, clock))
    service = DutyService.open(settings, db, officers, access, recorder, clock)
    return service, clock, recorder


async def test_reminders_go_to_every_holder_of_the_role_at_their_times(world) -> None:
    service, clock, recorder = world
    await service.tick()  # creates the March period, nothing due yet
    assert recorder.take() == []
    clock.set(at(2026, 3, 20, 15, 59))
    await service.tick()
    assert recorder.take() == []
    clock.set(at(2026, 3, 20, 16))
    await service.tick()
    sent = recorder.take()
    assert sorted(r.external_id for r, _ in sent) == ["2001", "2002"]
    assert all("Báo cáo tháng" in text and "Nhắc việc" in text for _, text in sent)
    await service.tick()
    assert recorder.take() == []  # a second tick at the same moment repeats nothing


async def test_done_stops_that_period_only(world) -> None:
    service, clock, recorder = world
    await service.tick()
    clock.set(at(2026, 3, 24, 16))
    await service.tick()
    recorder.take()
    period = (await service.repo.open_periods())[0]
    officer, done = await service.mark_done(HOA, period.id)
    assert officer.name == "Chị Hoa" and done.done_by == officer.id and done.done_at == clock.now()
    clock.set(at(2026, 3, 27, 16))
    await service.tick()  # the March period is done: no overdue nag, no escalation
    assert recorder.take() == []
    with pytest.raises(AlreadyDone):
        await service.mark_done(BINH, period.id)
    clock.set(at(2026, 4, 19, 16))  # five days before April's period (the 24th, a Friday)
    await service.tick()
    assert len(recorder.take()) == 2


async def test_overdue_nags_daily_and_escalates_to_the_chairman_once(world) -> None:
    service, clock, recorder = world
    await service.tick()
    clock.set(at(2026, 3, 25, 16))  # due: the 8h reminder is folded into "overdue"
    await service.tick()
    assert {r for r, _ in recorder.take()} == {HOA, BINH}
    clock.set(at(2026, 3, 26, 16))  # one day late: daily nag and the chairman told
    await service.tick()
    sent = recorder.take()
    assert sorted(r.external_id for r, _ in sent) == ["2001", "2002", "3001"]
    chairman = next(text for r, text in sent if r == NAM)
    assert "Chưa hoàn thành đúng hạn" in chairman and "Chị Hoa" in chairman
    assert "Anh Bình" in chairman
    clock.set(at(2026, 3, 27, 16))
    await service.tick()
    assert sorted(r.external_id for r, _ in recorder.take()) == ["2001", "2002"]


async def test_three_days_down_sends_each_missed_reminder_once(world) -> None:
    service, clock, recorder = world
    await service.tick()
    clock.set(at(2026, 3, 20, 16))
    await service.tick()
    recorder.take()
    clock.set(at(2026, 3, 27, 17))  # down from the 20th: 1d, 8h, two overdue days missed
    await service.tick()
    await service.tick()
    sent = recorder.take()
    assert sorted(r.external_id for r, _ in sent) == ["2001", "2002", "3001"]
    period = (await service.repo.open_periods())[0]
    rows = await service.repo.reminders_sent(period.id)
    hoa = [(slot, status) for officer, slot, status in rows if officer == 1]
    assert hoa == [
        ("before:5d", "sent"),
        ("before:1d", "skipped"),
        ("before:8h", "skipped"),
        ("overdue:2026-03-26", "skipped"),
        ("overdue:2026-03-27", "sent"),
    ]


async def test_snooze_holds_reminders_until_tomorrow(world) -> None:
    service, clock, recorder = world
    await service.tick()
    clock.set(at(2026, 3, 24, 16))
    await service.tick()
    recorder.take()
    period = (await service.repo.open_periods())[0]
    until = await service.snooze(HOA, period.id)
    assert until == at(2026, 3, 25, 16)
    clock.set(at(2026, 3, 25, 8))
    await service.tick()
    assert [r for r, _ in recorder.take()] == [BINH]  # Hoa snoozed
    clock.set(at(2026, 3, 25, 16))
    await service.tick()
    assert sorted(r.external_id for r, _ in recorder.take()) == ["2001"]


async def test_only_holders_of_the_role_or_the_chairman_may_close(world) -> None:
    service, _clock, _recorder = world
    await service.tick()
    period = (await service.repo.open_periods())[0]
    with pytest.raises(PermissionDenied):
        await service.mark_done(LAN, period.id)  # a citizen
    with pytest.raises(PermissionDenied):
        await service.mark_done(LAN, 999)  # forged id: refused before any lookup
    with pytest.raises(LookupError):
        await service.mark_done(NAM, 999)
    await service.mark_done(NAM, period.id)  # the chairman may close anyone's


async def test_a_failed_delivery_is_recorded_and_others_still_reached(world) -> None:
    service, clock, recorder = world
    recorder.failing.add(HOA)
    await service.tick()
    clock.set(at(2026, 3, 20, 16))
    report = await service.tick()
    assert report.sent == 1 and report.failed == 1
    period = (await service.repo.open_periods())[0]
    assert (1, "before:5d", "failed") in await service.repo.reminders_sent(period.id)


class Cases:
    async def due_soon(self, today: date, until: date):
        return [CaseAlert("PA-0042", "Đường thôn hỏng", until, (HOA,))]

    async def overdue(self, today: date):
        return [CaseAlert("KN-0007", "Ô nhiễm", today - timedelta(days=3))]


async def test_case_sweep_runs_once_a_working_day(world) -> None:
    service, clock, recorder = world
    service.sweep.source = Cases()
    report = await service.sweep.run()
    assert report.ran and report.warned == 1 and report.escalated == 1
    sent = recorder.take()
    assert [r for r, _ in sent] == [HOA, NAM]
    assert "PA-0042" in sent[0][1] and "thứ Tư 04/03/2026" in sent[0][1]
    assert not (await service.sweep.run()).ran  # already swept today
    clock.set(at(2026, 3, 7, 8))  # a Saturday
    assert not (await service.sweep.run()).ran


class Broadcasts:
    async def weekly_figures(self, start: datetime, end: datetime):
        return [DigestFigure("Duties late: {count}", 0)]


async def test_weekly_digest_once_a_week(world) -> None:
    service, clock, recorder = world
    await service.tick()
    clock.set(at(2026, 3, 27, 9))
    await service.tick()
    recorder.take()
    assert await service.digest.run() == 1
    ((who, text),) = recorder.take()
    assert who == NAM and "Báo cáo tháng" in text
    assert await service.digest.run() == 0


async def test_the_bot_does_not_start_with_a_broken_calendar(
    settings: Settings, tmp_path: Path
) -> None:
    broken = replace(settings, sections={"duties": {"calendar": str(tmp_path / "absent.toml")}})
    with pytest.raises(ConfigError, match=r"\[duties\] calendar: cannot read"):
        await Services.open(broken, ManualClock(at(2026, 3, 2)))
