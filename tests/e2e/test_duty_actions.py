"""Officers act on duties: /duties, Done with a file, Remind me tomorrow; citizens refused."""

from datetime import timedelta

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.duties.actions import DutyAttach, DutyDone
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.duties import TICK_JOB
from tests.e2e.conftest import StartBot, add_officer, drained
from tests.e2e.duty_helpers import local, run_job

HOA, MAI, NAM, LAN = 2001, 2003, 3001, 1001


async def english(settings: Settings, user_id: int) -> None:
    db = await Database.open(settings.database_path)
    try:
        await db.execute("UPDATE officers SET language = 'en' WHERE external_id = ?", (user_id,))
    finally:
        await db.close()


async def test_duties_list_shows_own_duties_and_the_chairman_everyones(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, HOA, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, MAI, "Chị Mai", Role.CULTURE)
    await add_officer(settings, clock, NAM, "Ông Nam", Role.CHAIRMAN)
    await english(settings, MAI)
    hoa, mai, nam = sandbox.user(HOA), sandbox.user(MAI), sandbox.user(NAM)
    await start_bot()  # Monday 2 March 2026, 09:00 in Hà Nội
    assert "duties" in {c["command"] for c in hoa.commands}

    await hoa.send("/duties")
    listed = (await hoa.next_message()).text
    assert listed.startswith("Nhiệm vụ định kỳ của đồng chí:")
    lines = listed.splitlines()
    # Soonest first: the quarterly report's 15 March is a Sunday, so Friday the 13th.
    assert "Báo cáo quý" in lines[1] and "16:00, thứ Sáu 13/03/2026" in lines[2]
    assert "Báo cáo tháng" in lines[3] and "thứ Tư 25/03/2026" in lines[4]
    assert "Dân vận khéo" not in listed and "tiếp công dân" not in listed

    await mai.send("/duties")
    english_list = (await mai.next_message()).text
    assert 'Monthly "Skilful mobilisation" column' in english_list
    assert "due 17:00, Friday 20/03/2026" in english_list

    await nam.send("/duties")
    everyone = await nam.next_message()
    assert everyone.text.startswith("Nhiệm vụ định kỳ của các cán bộ:")
    assert "17:00, thứ Năm 05/03/2026" in everyone.text  # Thursday's reception
    for name in ("Báo cáo tháng", "Báo cáo quý", "6 tháng", "tổng kết năm", "Dân vận khéo",
                 "ngân sách", "tiếp công dân"):  # fmt: skip
        assert name in everyone.text
    assert 'Dân vận khéo" hằng tháng (Văn hoá – Xã hội)' in everyone.text
    assert len([b for row in everyone.buttons for b in row]) == 7


async def test_done_with_the_report_attached(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, HOA, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(HOA)
    clock.set(local(2026, 3, 20, 16))
    await run_job(bot, TICK_JOB)
    reminder = await hoa.wait_for(contains="Báo cáo tháng")
    await hoa.press("📎 Đã xong, gửi kèm báo cáo", reminder)
    assert "gửi báo cáo ngay" in (await hoa.wait_for(contains="gửi báo cáo")).text
    await hoa.send_document(filename="bao-cao-thang-3.pdf")
    confirmed = await hoa.wait_for(contains="Báo cáo đã được lưu")
    assert "Chị Hoa đã hoàn thành" in confirmed.text
    periods = await bot.services.duties.repo.open_periods()
    assert "report-monthly" not in {p.duty_id for p in periods}
    done = [p for p in await bot.services.duties.repo.done_between(clock.now(), clock.now()
            .replace(year=2027))]  # fmt: skip
    assert done[0].done_file is not None
    assert done[0].done_file.kind == "document"
    assert done[0].done_file.filename == "bao-cao-thang-3.pdf"
    await hoa.send_document(filename="khac.pdf")  # no longer awaited: not taken as a report
    await hoa.wait_for(contains="/help")


async def test_remind_me_tomorrow(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, HOA, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(HOA)
    clock.set(local(2026, 3, 24, 16))
    await run_job(bot, TICK_JOB)
    await hoa.wait_for(contains="Báo cáo tháng")
    answer = await hoa.press("⏰ Nhắc lại ngày mai")
    assert answer.show_alert and "16:00, thứ Tư 25/03/2026" in answer.text
    clock.set(local(2026, 3, 25, 8))  # the 8h reminder is held back
    await run_job(bot, TICK_JOB)
    assert sum("Báo cáo tháng" in t for t in hoa.texts) == 1
    clock.set(local(2026, 3, 25, 16))
    await run_job(bot, TICK_JOB)
    assert sum("Báo cáo tháng" in t for t in hoa.texts) == 2


async def test_a_citizen_cannot_press_done_even_with_forged_data(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, MAI, "Chị Mai", Role.CULTURE)
    bot = await start_bot()
    duties = bot.services.duties
    report = next(p for p in await duties.repo.open_periods() if p.duty_id == "report-monthly")
    lan, mai = sandbox.user(LAN, first_name="Lan"), sandbox.user(MAI)
    await lan.send("/duties")
    refusal = await lan.next_message()
    assert "chỉ dành cho cán bộ" in refusal.text
    for action in (DutyDone(report.id), DutyAttach(report.id)):
        answer = await lan.press_data(refusal, action.pack())
        assert answer is not None and answer.show_alert and "chỉ dành cho cán bộ" in answer.text
    malformed = await lan.press_data(refusal, "duty:done:x")
    assert malformed is not None and malformed.show_alert
    assert "không còn hiệu lực" in malformed.text
    await mai.send("/duties")
    listed = await mai.next_message()
    answer = await mai.press_data(listed, DutyDone(report.id).pack())  # not her role
    assert answer is not None and "chỉ dành cho cán bộ" in answer.text
    assert not (await duties.repo.get(report.id)).done  # type: ignore[union-attr]
    denied = [e for e in await bot.services.audit.recent() if e.action == "duty:done"]
    assert {e.outcome for e in denied} == {"denied"}
    assert Recipient.telegram(LAN) in {e.actor for e in denied}
    assert Recipient.telegram(MAI) in {e.actor for e in denied}


async def test_done_asks_first_names_the_duty_and_can_be_undone(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, HOA, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa, repo = sandbox.user(HOA), bot.services.duties.repo
    clock.set(local(2026, 3, 20, 16))
    await run_job(bot, TICK_JOB)
    reminder = await hoa.wait_for(contains="Báo cáo tháng")
    report = next(p for p in await repo.open_periods() if p.duty_id == "report-monthly")

    await hoa.press("✅ Đã xong", reminder)
    ask = await hoa.wait_for(contains="là đã xong?")
    assert "Báo cáo tháng" in ask.text
    assert not (await repo.get(report.id)).done  # type: ignore[union-attr]
    await hoa.press("✖️ Không", ask)
    await hoa.wait_for(lambda m: m.message_id == ask.message_id and "vẫn đang mở" in m.text)
    assert not (await repo.get(report.id)).done  # type: ignore[union-attr]

    hoa.skip_pending()
    await hoa.press("✅ Đã xong", reminder)
    ask = await hoa.next_message()
    answer = await hoa.press("✅ Đúng, đã xong", ask)
    assert answer.text == "Đã ghi nhận. Cảm ơn đồng chí!"
    note = await hoa.wait_for(
        lambda m: m.message_id == ask.message_id and "✅ Báo cáo tháng" in m.text
    )
    assert "Chị Hoa đã hoàn thành" in note.text
    assert (await repo.get(report.id)).done  # type: ignore[union-attr]

    answer = await hoa.press("Hoàn tác", note)
    assert answer.text == "Đã hoàn tác."
    await hoa.wait_for(lambda m: m.message_id == note.message_id and "mở lại" in m.text)
    assert not (await repo.get(report.id)).done  # type: ignore[union-attr]
    clock.set(local(2026, 3, 24, 16))  # the day-before reminder comes again
    await run_job(bot, TICK_JOB)
    await drained(bot)
    assert sum("Nhắc việc" in t and "Báo cáo tháng" in t for t in hoa.texts) == 2

    hoa.skip_pending()
    await hoa.press("✅ Đã xong", reminder)
    await hoa.press("✅ Đúng, đã xong", ask := await hoa.next_message())
    note = await hoa.wait_for(
        lambda m: m.message_id == ask.message_id and "Hoàn tác" in str(m.buttons)
    )
    clock.advance(timedelta(minutes=11))
    late = await hoa.press("Hoàn tác", note)
    assert late.show_alert and "quá thời gian" in late.text
    assert (await repo.get(report.id)).done  # type: ignore[union-attr]
