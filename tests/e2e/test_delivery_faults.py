"""Delivery under Telegram's real limits and failures, end to end against the sandbox."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.people.officers import Role
from sandbox import SandboxServer
from scheduler.broadcasts import RUNNING_KEY
from tests.e2e.conftest import StartBot, add_officer, drained
from tests.e2e.outreach import copies, seed_citizens, with_broadcast
from tests.e2e.test_broadcasts import OFFICER, compose_text


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    real = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    return with_broadcast(real, rate=30, max_attempts=3)


async def test_429s_are_honoured_403_blocks_5xx_bursts_are_survived(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(40_000, 40_040))
    blocked, doomed = ids[10], ids[20]
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    sandbox.limits.configure(enabled=True, per_second=30, per_chat_per_second=1)
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    summary = await compose_text(hoa, "Tin khẩn về phòng chống bão", ["Tất cả"])

    for chat in ids[1:3]:  # flood control: "retry after 1", each a pause of the whole sender
        sandbox.inject("sendMessage", 429, chat_id=chat, retry_after=1)
    sandbox.inject("sendMessage", 403, chat_id=blocked)
    for chat in ids[30:34]:  # a burst of server errors, each survived by a retry
        sandbox.inject("sendMessage", 502, chat_id=chat)
    sandbox.inject("sendMessage", 500, count=10, chat_id=doomed)  # beyond the retry budget
    await hoa.press("✅ Gửi", summary)

    report = await hoa.wait_for(contains="Tin #1 đã gửi xong", timeout=90)
    assert "Đã gửi: 38 · Lỗi: 1 · Đã chặn bot: 1 · Còn lại: 0" in report.text
    for chat in ids:
        assert copies(sandbox, chat, "phòng chống bão") == (0 if chat in (blocked, doomed) else 1)
    stats = bot.app.bot_data[RUNNING_KEY].delivery.stats
    assert stats.flood_waits == 2 and stats.retried_errors == 4 + 2
    # Our own pace never tripped the server's limits (only the officer's quick replies
    # did, and PTB's rate limiter on the interactive bot retried those).
    assert not set(sandbox.limits.rejected_by_chat) & set(ids)

    svc = bot.services
    citizen = await svc.citizens.get(Recipient.telegram(blocked))
    assert citizen is not None and citizen.blocked
    history = await svc.db.fetchall(
        "SELECT event FROM subscription_events WHERE citizen_id = ? ORDER BY id", (citizen.id,)
    )
    assert [r[0] for r in history][-1] == "blocked"  # the reports count them as lost
    rows = await svc.db.fetchall(
        "SELECT external_id, state, attempts, error FROM outbox"
        " WHERE broadcast_id = 1 AND state != 'sent'"
    )
    assert {(r[0], r[1]) for r in rows} == {(str(blocked), "blocked"), (str(doomed), "failed")}
    failed = next(r for r in rows if r[1] == "failed")
    assert failed[2] == 3 and "Internal Server Error" in failed[3]


async def test_a_blocked_citizen_gets_nothing_more(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(41_000, 41_005))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    sandbox.user(ids[0]).block()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    for number, text in enumerate(("Tin thứ nhất", "Tin thứ hai"), start=1):
        summary = await compose_text(hoa, text, ["Tất cả"])
        await hoa.press("✅ Gửi", summary)
        # Every row of the broadcast is done, the blocked citizen's included.
        await hoa.wait_for(contains=f"Tin #{number} đã gửi xong")
        assert all(copies(sandbox, i, text) == 1 for i in ids[1:])
    assert sandbox.state.calls_for("sendMessage", ids[0]) == [] or all(
        c.status == 403 for c in sandbox.state.calls_for("sendMessage", ids[0])
    )
    assert len(sandbox.state.calls_for("sendMessage", ids[0])) <= 1


async def test_the_notifier_is_the_outbox(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [42_000])
    bot = await start_bot()
    await bot.services.notifier.notify(
        Recipient.telegram(42_000), OutgoingMessage("Hồ sơ của bạn đã có kết quả.")
    )
    # The message reaches the chat before the sender records the row: wait for the record.
    await drained(bot)
    assert copies(sandbox, 42_000, "đã có kết quả") == 1
    row = await bot.services.db.fetchone("SELECT state, attempts, broadcast_id FROM outbox")
    assert row is not None and tuple(row) == ("sent", 1, None)
