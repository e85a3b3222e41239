"""What the sender does when Telegram fails, end to end against the sandbox's injected faults.

A case's code after a 5xx, officers and groups that cannot be reached yet,
a refused token, and one busy officer beside a broadcast.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from scheduler.broadcasts import RUNNING_KEY
from tests.e2e.cases_steps import CODE_RE, to_files
from tests.e2e.conftest import RunningBot, StartBot, add_officer
from tests.e2e.outreach import copies, seed_citizens, until, with_broadcast
from tests.e2e.test_broadcasts import compose_text
from tests.e2e.test_cli_broadcast import cli

JUSTICE, CULTURE, CITIZEN = 2201, 2202, 1001
GROUP = -1009876543210


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    real = replace(
        settings,
        bot_token=sandbox.token,
        bot_api_url=sandbox.root_url,
        officers_chat_id=GROUP,
    )
    return with_broadcast(real, rate=30, max_attempts=3, pause_check_seconds=1)


async def to_review(citizen: SimUser) -> None:
    """An anonymous feedback form, filled in up to its Send button."""
    await to_files(citizen)
    await citizen.press("Tiếp tục")
    await citizen.wait_for(contains="không bao giờ công khai")
    await citizen.press("Gửi ẩn danh")
    await citizen.wait_for(lambda m: "Người gửi: ẩn danh" in m.content and bool(m.buttons))


async def waiting_rows(bot: RunningBot, user_id: int) -> int:
    """Rows to `user_id` that were refused and wait for their next try."""
    return int(
        await bot.services.db.scalar(
            "SELECT COUNT(*) FROM outbox WHERE external_id = ? AND state = 'pending'"
            " AND refusals > 0",
            (str(user_id),),
        )
    )


async def until_waiting(bot: RunningBot, user_id: int, count: int) -> None:
    for _ in range(2400):
        if await waiting_rows(bot, user_id) >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"no {count} rows waiting for {user_id}")


@pytest.mark.parametrize("method", ["editMessageText", "sendMessage"])
async def test_the_code_and_the_card_survive_a_500_once_the_case_is_committed(
    method: str, sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    sandbox.group(GROUP, title="Cán bộ xã")
    await add_officer(settings, clock, JUSTICE, "Anh Tư", Role.JUSTICE)
    await start_bot()
    tu, lan = sandbox.user(JUSTICE), sandbox.user(CITIZEN, first_name="Lan")
    await to_review(lan)

    # editMessageText: marking the form as sent; sendMessage: the reply with the code.
    fault = sandbox.inject(method, 500, chat_id=CITIZEN)
    await lan.press("✅ Gửi")
    done = await lan.wait_for(contains="Mã tra cứu")
    code = CODE_RE.search(done.text)
    assert code is not None and fault.hits == 1
    await tu.wait_for(contains=code.group())


async def test_officers_and_groups_that_cannot_be_reached_yet_get_everything_once_they_can(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, JUSTICE, "Anh Tư", Role.JUSTICE)
    tu = sandbox.user(JUSTICE, first_name="Tư", started=False)  # has not opened the bot
    bot = await start_bot()  # and the officers' group does not have the bot yet
    lan = sandbox.user(CITIZEN, first_name="Lan")
    codes = []
    for citizen in (lan, sandbox.user(1002, first_name="Hùng")):  # the second card is not
        await to_review(citizen)  # silenced by the first refusal
        await citizen.press("✅ Gửi")
        done = await citizen.wait_for(contains="Mã tra cứu")
        codes.append(CODE_RE.search(done.text).group())
    await until_waiting(bot, JUSTICE, 2)
    await until_waiting(bot, GROUP, 2)
    listing = await asyncio.to_thread(cli, bot.settings, "officer", "list")
    assert "cannot be reached" in listing.stdout and "2 message(s) waiting" in listing.stdout
    assert "can't initiate conversation" in listing.stdout and "Chat not found" in listing.stdout
    citizen = await bot.services.citizens.get(Recipient.telegram(JUSTICE))
    assert citizen is None or not citizen.blocked

    await tu.send("/start")  # opening the bot wakes what waited, before the 1-minute retry
    for code in codes:
        await tu.wait_for(contains=code)
    group = sandbox.group(GROUP, title="Cán bộ xã")
    await lan.send_in(group, "/help")  # the bot added to the group: its first update
    for code in codes:
        await group.wait_for(contains=code)
    listing = await asyncio.to_thread(cli, bot.settings, "officer", "list")
    assert "cannot be reached" not in listing.stdout, listing.stdout


@pytest.mark.parametrize("status", [401, 404])
async def test_a_refused_token_pauses_the_sender_which_resumes_by_itself(
    status: int,
    sandbox: SandboxServer,
    settings: Settings,
    clock: ManualClock,
    start_bot: StartBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(43_000, 43_010))
    await add_officer(settings, clock, CULTURE, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(CULTURE, first_name="Hoa")
    summary = await compose_text(hoa, "Lịch tiêm chủng", ["Tất cả"])
    for chat in ids:  # as a revoked token (401) or a wrong API root (404) answers every send
        sandbox.inject("sendMessage", status, count=1_000, chat_id=chat)
    with caplog.at_level(logging.ERROR, logger="bot.messaging.delivery"):
        await hoa.press("✅ Gửi", summary)
        delivery = bot.app.bot_data[RUNNING_KEY].delivery
        await until(lambda: "telegram" in delivery.down(), what="the pause")
        await until(  # the channel is tried again while paused, one message at a time
            lambda: any(len(sandbox.state.calls_for("sendMessage", c)) >= 2 for c in ids),
            what="a retry",
        )
    assert any("sending on telegram paused" in r.getMessage() for r in caplog.records)
    await hoa.send("/broadcasts")
    listing = await hoa.wait_for(contains="⏸")
    assert {401: "Unauthorized", 404: "Not Found"}[status] in listing.text

    sandbox.state.faults.clear()  # the token works again
    report = await hoa.wait_for(contains="Tin #1 đã gửi xong", timeout=90)
    assert "Đã gửi: 10 · Lỗi: 0 · Đã chặn bot: 0 · Còn lại: 0" in report.text
    assert all(copies(sandbox, chat, "Lịch tiêm chủng") == 1 for chat in ids)
    assert delivery.down() == {} and await bot.services.outbox.pauses() == []
    hoa.skip_pending()
    await hoa.send("/broadcasts")
    assert "⏸" not in (await hoa.next_message()).text


async def test_one_officer_with_60_notifications_never_holds_up_a_broadcast(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(44_000, 44_150))
    await add_officer(settings, clock, CULTURE, "Chị Hoa", Role.CULTURE)
    await add_officer(settings, clock, JUSTICE, "Anh Tư", Role.JUSTICE)
    bot = await start_bot()
    sandbox.limits.configure(enabled=True, per_second=30, per_chat_per_second=1)
    hoa, tu = sandbox.user(CULTURE, first_name="Hoa"), sandbox.user(JUSTICE, first_name="Tư")
    summary = await compose_text(hoa, "Lịch cắt điện", ["Tất cả"])
    for n in range(60):  # one chat: at most one a second, a minute's worth
        await bot.services.notifier.notify(
            Recipient.telegram(JUSTICE), OutgoingMessage(f"Nhắc việc số {n}")
        )
    await hoa.press("✅ Gửi", summary)

    report = await hoa.wait_for(contains="Tin #1 đã gửi xong", timeout=90)
    reached = copies(sandbox, JUSTICE, "Nhắc việc số")
    assert "Đã gửi: 150 · Lỗi: 0" in report.text
    assert all(copies(sandbox, chat, "Lịch cắt điện") == 1 for chat in ids)
    assert 1 <= reached < 60  # the officer's own pace went on beside it, in order
    texts = [m.text for m in tu.messages if "Nhắc việc" in (m.text or "")]
    assert texts == [f"Nhắc việc số {n}" for n in range(len(texts))]
