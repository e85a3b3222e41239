"""The daily sweep over real cases: handlers warned before the deadline, the chairman after."""

from bot.cases.model import Kind, Topic
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.duties import SWEEP_JOB
from tests.e2e.conftest import StartBot, add_officer
from tests.e2e.duty_helpers import local, run_job


async def test_sweep_warns_the_handler_then_escalates_to_the_chairman(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Thu", Role.OFFICE)
    await add_officer(settings, clock, 3001, "Ông Nam", Role.CHAIRMAN)
    thu, nam = sandbox.user(2001, first_name="Thu"), sandbox.user(3001, first_name="Nam")
    citizen = sandbox.user(1001, first_name="Lan")
    clock.set(local(2026, 3, 2, 9))
    bot = await start_bot()
    case = await bot.services.cases.submit_question(
        Recipient.telegram(citizen.id), "Xin hỏi thủ tục đăng ký kết hôn cần giấy tờ gì?"
    )
    assert case.kind is Kind.QUESTION and case.topic is Topic.OTHER
    await thu.wait_for(contains=case.code)  # the new-case notice to the office
    notices = len(thu.messages)

    clock.set(local(2026, 3, 3, 7, 30))  # the next day: far from its deadline
    await run_job(bot, SWEEP_JOB)
    assert len(thu.messages) == notices

    due = case.due_on  # the deadline day itself is within two working days
    clock.set(local(due.year, due.month, due.day, 7, 30))
    await run_job(bot, SWEEP_JOB)
    warned = await thu.wait_for(lambda m: case.code in m.text and "⏳" in m.text)
    assert "Câu hỏi" in warned.text and "Xin hỏi thủ tục" not in warned.text

    after = bot.services.cases.calendar.add_working_days(case.due_on, 1)
    clock.set(local(after.year, after.month, after.day, 7, 30))
    await run_job(bot, SWEEP_JOB)
    escalated = await nam.wait_for(lambda m: case.code in m.text and "🚨" in m.text)
    assert "quá hạn" in escalated.text and "Xin hỏi thủ tục" not in escalated.text
