"""Forged and misplaced button presses are refused; a submitted case survives SIGKILL."""

import asyncio
import os
import sys

from bot.cases.actions import (
    CaseAccept,
    CaseAnswer,
    CaseAsk,
    CaseAssignMe,
    CaseAssignTo,
    CaseChooseAssignee,
    CaseOpen,
    CaseReject,
    CaseResolve,
    CaseTransfer,
    TrackAddInfo,
    TrackRate,
    TrackShow,
)
from bot.cases.model import Status
from bot.core.paths import ROOT
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.cases_steps import file_anonymous_feedback, reply_to
from tests.e2e.conftest import StartBot, add_officer


async def test_forged_and_misplaced_presses_are_refused(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, 2002, "Anh Bình", Role.CULTURE)
    bot = await start_bot()
    lan, mai = sandbox.user(1001, first_name="Lan"), sandbox.user(1005, first_name="Mai")
    hoa, binh = sandbox.user(2001), sandbox.user(2002)
    code = await file_anonymous_feedback(lan)
    case = await bot.services.cases.repo.by_code(code)
    anywhere = lan.messages[-1]

    for action in (
        CaseAccept,
        CaseAssignMe,
        CaseAsk,
        CaseAnswer,
        CaseResolve,
        CaseReject,
        CaseTransfer,
        CaseChooseAssignee,
        CaseOpen,
    ):
        refused = await lan.press_data(anywhere, action(case.id).pack())
        assert refused.show_alert and "chỉ dành cho cán bộ" in refused.text, action
    assert bot.services.conversations.flow_of(Recipient.telegram(lan.id)) is None
    refused = await binh.press_data(await binh.send("/cases"), CaseAccept(case.id).pack())
    assert "chỉ dành cho cán bộ" in refused.text  # culture does not handle roads

    card = await hoa.wait_for(contains=code)
    for data, words in (
        (CaseAccept(case.id + 1000).pack(), "Không có hồ sơ"),
        ("case:zzz:1", "không còn hiệu lực"),
        ("case:acc:1;DROP TABLE cases", "không còn hiệu lực"),
        (CaseAssignTo(case.id, 9999).pack(), "không thể nhận"),
    ):
        answer = await hoa.press_data(card, data)
        assert answer.show_alert and words in answer.text, data
    await hoa.press("Thụ lý", card)
    again = await hoa.press_data(card, CaseAccept(case.id).pack())
    assert "đã được thụ lý" in again.text

    # Another citizen learns nothing about Lan's case, not even that it exists.
    for action in (TrackShow(case.id), TrackAddInfo(case.id), TrackRate(case.id, 5)):
        answer = await mai.press_data(await mai.send("/track"), action.pack())
        assert "Không có hồ sơ" in answer.text, action
    assert "Không có hồ sơ" in await reply_to(mai, mai.send(f"/track {code}"))
    assert (await lan.press_data(anywhere, "cin:kind:bogus")).show_alert
    case = await bot.services.cases.repo.by_code(code)
    assert case.status is Status.ACCEPTED and case.rating is None
    denied = {(e.actor.external_id, e.action) for e in await bot.services.audit.recent(50)}
    assert ("1001", "case:accept") in denied and ("2002", "case:accept") in denied


async def run_bot(
    sandbox: SandboxServer, settings, config=None, stderr=asyncio.subprocess.DEVNULL
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": sandbox.token,
        "BOT_API_URL": sandbox.root_url,
        "DATABASE_URL": f"sqlite:///{settings.database_path}",
        "DANVAN_CONFIG": str(config or "/nonexistent.toml"),
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )


async def test_case_survives_sigkill_right_after_submit(
    sandbox: SandboxServer, settings, start_bot: StartBot
) -> None:
    process = await run_bot(sandbox, settings)
    try:
        lan = sandbox.user(1001, first_name="Lan")
        await lan.send("/feedback")
        await lan.wait_for(contains="Bạn muốn gửi gì", timeout=90)
        lan.skip_pending()
        code = await file_anonymous_feedback(lan)
        process.kill()  # SIGKILL: no shutdown, no flush
        await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    bot = await start_bot()
    view = await reply_to(lan, lan.send(f"/track {code}"))
    assert code in view and "Đã tiếp nhận" in view
    assert len(await bot.services.cases.my_cases(Recipient.telegram(lan.id))) == 1


async def test_a_bad_cases_section_stops_the_bot_with_a_clear_message(
    sandbox: SandboxServer, settings, tmp_path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[cases.reception]\nweekday = "sunday"\n', encoding="utf-8")
    process = await run_bot(sandbox, settings, config, stderr=asyncio.subprocess.PIPE)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert "[cases.reception] weekday" in stderr.decode()
