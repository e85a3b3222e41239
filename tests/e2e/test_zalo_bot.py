"""The Zalo Bot channel end to end: the real application over the gateway, the sandbox as Zalo."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import CallbackContext

from bot.core.clock import ManualClock, to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import ZALO_BOT_SPEC, Recipient
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.people.officers import Role
from handlers.telegram.channel import reply_channel
from handlers.zalo_bot.app import WEBHOOK_KEY
from handlers.zalo_bot.gateway import MIN_EMPTY_POLL
from handlers.zalo_bot.ids import ZaloIds
from handlers.zalo_bot.webhook import ZaloWebhook
from sandbox import SAMPLE_PNG, SandboxServer, SimZaloUser
from tests.e2e.conftest import RunningBot, add_officer, drained
from tests.e2e.duty_helpers import running
from tests.e2e.outreach import copies, seed_citizens
from tests.e2e.test_cli_broadcast import cli
from tests.e2e.test_zalo_like import choose, file_feedback, onboard_by_numbers
from tests.e2e.zalo_steps import zalo_running, zalo_settings


@pytest.fixture
async def both(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock
) -> AsyncIterator[tuple[RunningBot, RunningBot]]:
    """Telegram (which opens the services and runs the sender) and Zalo Bot beside it."""
    settings = zalo_settings(bot_settings, sandbox)
    async with AsyncExitStack() as stack:
        host = await stack.enter_async_context(running(settings, clock))
        guest = await stack.enter_async_context(zalo_running(settings, clock, host.services))
        yield host, guest


async def known(bot: RunningBot, sandbox: SandboxServer, user_id: int, name: str) -> SimZaloUser:
    """A Zalo user who is already a citizen (their number given, their record made).

    A newcomer's first message starts onboarding; the tests of the transport
    talk to someone the bot knows.
    """
    user = sandbox.zalo_user(user_id, name)
    number = await ZaloIds(bot.services.db, bot.services.clock).local(user.zalo_id)
    await bot.services.citizens.create(Recipient(ZALO_BOT_SPEC.name, str(number)), name, "vi", None)
    return user


async def number_of(bot: RunningBot, user: SimZaloUser) -> int:
    """The number the id map gave a Zalo user."""
    return await ZaloIds(bot.services.db, bot.services.clock).local(user.zalo_id)


async def test_a_zalo_question_without_diacritics_is_answered(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    lan = await known(zalo, sandbox, 5001, "Lan")
    await lan.send("lam giay khai sinh cho con can giay to gi")
    answer = await lan.next_message(contains="Đăng ký khai sinh")
    assert "Giấy chứng sinh" in answer.text
    assert "<b>" not in answer.text and len(answer.text) <= 2000
    # Zalo's string id has a number of its own; the citizen is on the zalo_bot channel.
    number = await zalo.services.db.scalar(
        "SELECT local_id FROM zalo_bot_ids WHERE zalo_id = ?", (lan.zalo_id,)
    )
    assert number is not None
    stats = await zalo.services.faq.stats()
    assert stats.asked == 1


async def test_a_photo_is_kept_as_soon_as_it_arrives(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    mai = sandbox.zalo_user(5002, "Mai")
    await mai.send_photo(SAMPLE_PNG, caption="ổ gà trước nhà văn hoá")
    await mai.next_message()  # whatever the flows say, the photo is kept by then
    stored = await zalo.services.files.get(hashlib.sha256(SAMPLE_PNG).hexdigest())
    assert stored is not None and stored.mime.startswith("image/")
    # Zalo's link is fetched once, on arrival; nothing depends on it afterwards.
    fetched = [c for c in sandbox.state.calls if c.method.startswith("zalo.")]
    assert all(c.status == 200 for c in fetched)


async def test_a_protected_user_is_answered_politely_and_nothing_is_kept(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    child = sandbox.zalo_user(5003, "Bé")
    await child.send_protected("xin chào")
    answer = await child.next_message()
    assert "không cho phép" in answer.text
    db = zalo.services.db
    assert await db.scalar("SELECT COUNT(*) FROM zalo_bot_ids") == 0
    assert await db.scalar("SELECT COUNT(*) FROM citizens") == 0


async def test_the_outbox_reaches_a_zalo_citizen_through_a_fault(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    """A 500 from Zalo is retried by the one sender; the message arrives once."""
    _, zalo = both
    lan = await known(zalo, sandbox, 5001, "Lan")
    number = await number_of(zalo, lan)
    sandbox.inject("zalo.sendMessage", status=500, chat_id=lan.zalo_id)
    text = "Lịch tiêm chủng tháng 4 ở trạm y tế xã"
    await zalo.services.notifier.notify(
        Recipient(ZALO_BOT_SPEC.name, str(number)), OutgoingMessage(text)
    )
    await lan.next_message(contains=text)
    await drained(zalo)
    sends = sandbox.state.calls_for("zalo.sendMessage", lan.zalo_id)
    assert [c.status for c in sends if c.params.get("text") == text] == [500, 200]
    assert lan.texts.count(text) == 1


async def test_a_citizen_who_blocked_the_zalo_bot_is_marked_blocked(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    lan = await known(zalo, sandbox, 5001, "Lan")
    recipient = Recipient(ZALO_BOT_SPEC.name, str(await number_of(zalo, lan)))
    lan.user.blocked = True  # Zalo answers 403 from now on
    await zalo.services.notifier.notify(recipient, OutgoingMessage("Thông báo"))
    await drained(zalo)
    citizen = await zalo.services.citizens.get(recipient)
    assert citizen is not None and citizen.blocked


@pytest.fixture
async def hooked(
    sandbox: SandboxServer, bot_settings: Settings, clock: ManualClock
) -> AsyncIterator[tuple[RunningBot, str]]:
    """Zalo Bot in webhook mode beside Telegram; yields it and its local webhook address."""
    settings = zalo_settings(
        replace(bot_settings, webhook=replace(bot_settings.webhook, listen="127.0.0.1")),
        sandbox,
        webhook_url="https://bot.example.gov.vn/zalo-hook",
        webhook_secret=SECRET,
        webhook_port=0,
    )
    async with AsyncExitStack() as stack:
        host = await stack.enter_async_context(running(settings, clock))
        guest = await stack.enter_async_context(zalo_running(settings, clock, host.services))
        webhook: ZaloWebhook = guest.app.bot_data[WEBHOOK_KEY]
        yield guest, f"http://127.0.0.1:{webhook.port}/zalo-hook"


SECRET = "s3cret-for-the-zalo-hook"
OFFICER = 2001


def zalo_text(user: SimZaloUser, text: str, message_id: str) -> dict[str, Any]:
    """A Zalo update as Zalo's webhook carries it (flat)."""
    return {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": user.zalo_id, "display_name": "Lan", "is_bot": False},
            "chat": {"id": user.zalo_id, "chat_type": "PRIVATE"},
            "text": text,
            "message_id": message_id,
            "date": 1_772_416_800_000,
        },
    }


async def post(url: str, body: dict[str, Any], secret: str = SECRET) -> int:
    async with httpx.AsyncClient() as client:
        response = await client.post(url, json=body, headers={"X-Bot-Api-Secret-Token": secret})
    return response.status_code


async def test_the_webhook_is_registered_and_refuses_a_wrong_secret(
    sandbox: SandboxServer, hooked: tuple[RunningBot, str]
) -> None:
    zalo, url = hooked
    assert sandbox.state.zalo.webhook["url"] == "https://bot.example.gov.vn/zalo-hook"
    assert sandbox.state.zalo.webhook_secret == SECRET
    lan = await known(zalo, sandbox, 5001, "Lan")
    forged = zalo_text(lan, "lam giay khai sinh cho con can giay to gi", "forged-1")
    assert await post(url, forged, secret="wrong-secret-123") == 403
    assert await post(url, forged, secret="") == 403
    # The marker after it is answered; the forged call changed nothing.
    marker = zalo_text(lan, "lam giay khai sinh cho con can giay to gi", "real-1")
    assert await post(url, marker) == 200
    await lan.next_message(contains="Đăng ký khai sinh")
    seen = await zalo.services.db.fetchall("SELECT message_id FROM zalo_bot_seen")
    assert [row[0] for row in seen] == ["real-1"]
    assert (await zalo.services.faq.stats()).asked == 1


async def test_wrapped_and_flat_bodies_are_taken_and_a_repeat_is_handled_once(
    sandbox: SandboxServer, hooked: tuple[RunningBot, str]
) -> None:
    zalo, url = hooked
    lan = await known(zalo, sandbox, 5001, "Lan")
    question = "lam giay khai sinh cho con can giay to gi"
    wrapped = {"ok": True, "result": zalo_text(lan, question, "m-1")}
    assert await post(url, wrapped) == 200
    assert await post(url, wrapped) == 200  # Zalo delivers it again
    flat = zalo_text(lan, question, "m-2")
    assert await post(url, flat) == 200
    assert await post(url, flat) == 200
    await lan.next_message(contains="Đăng ký khai sinh")
    await lan.next_message(contains="Đăng ký khai sinh")
    # A marker after the repeats: once answered, every repeat has been dropped.
    assert await post(url, zalo_text(lan, "/help", "m-3")) == 200
    await lan.next_message(contains="Tôi có thể")
    assert (await zalo.services.faq.stats()).asked == 2
    assert sum("Đăng ký khai sinh" in text for text in lan.texts) == 2


async def test_the_sandbox_delivers_to_the_webhook_as_zalo_does(
    sandbox: SandboxServer, hooked: tuple[RunningBot, str]
) -> None:
    zalo, url = hooked
    sandbox.deliver_zalo_webhook_to(url.removesuffix("/zalo-hook"), flat=True)
    lan = await known(zalo, sandbox, 5001, "Lan")
    await lan.send("lam giay khai sinh cho con can giay to gi")
    await lan.next_message(contains="Đăng ký khai sinh")


async def test_empty_polls_that_come_back_at_once_do_not_spin(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    """A server answering 408 at once is polled at most once a second (MIN_EMPTY_POLL)."""
    zalo_state = sandbox.state.zalo
    zalo_state.poll_wait_cap = 0.0
    loop = asyncio.get_running_loop()
    start, first = loop.time(), zalo_state.polls
    while zalo_state.polls < first + 4:
        await asyncio.wait_for(zalo_state.changed(), 15)
    elapsed = loop.time() - start
    # Four polls need at least three full pauses between them, however fast the machine.
    assert elapsed >= 3 * MIN_EMPTY_POLL * 0.95
    lan = await known(both[1], sandbox, 5001, "Lan")  # and an update still comes through
    await lan.send("lam giay khai sinh cho con can giay to gi")
    await lan.next_message(contains="Đăng ký khai sinh")


async def seed_zalo_citizens(
    settings: Settings, clock: ManualClock, sandbox: SandboxServer, ids: range
) -> None:
    """Onboarded Zalo citizens straight in the database (their numbers in the id map)."""
    db = await Database.open(settings.database_path)
    try:
        now = to_db(clock.now())
        for user_id in ids:
            user = sandbox.zalo_user(user_id, f"Dân {user_id}")
            number = await ZaloIds(db, clock).local(user.zalo_id)
            await db.execute(
                "INSERT INTO citizens (channel, external_id, display_name, village_id,"
                " onboarded, created_at, updated_at) VALUES (?, ?, ?, 'dong-tam', 1, ?, ?)",
                (ZALO_BOT_SPEC.name, str(number), f"Dân {user_id}", now, now),
            )
    finally:
        await db.close()


async def test_a_broadcast_from_the_command_line_reaches_telegram_and_zalo_once_each(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock
) -> None:
    await seed_citizens(settings, clock, sandbox, range(60_000, 60_003))
    await seed_zalo_citizens(settings, clock, sandbox, range(70_000, 70_003))
    env = {"ZALO_BOT_TOKEN": sandbox.zalo_token, "ZALO_BOT_API_URL": sandbox.zalo_root_url}
    text = "Lịch cắt điện thôn Đồng Tâm"
    sent = await asyncio.to_thread(
        cli, settings, "broadcast", "--text", text, sandbox=sandbox, extra=env
    )
    assert sent.returncode == 0, sent.stderr
    assert "sent 6 · failed 0 · blocked 0 · remaining 0" in sent.stdout
    for user_id in [*range(60_000, 60_003), *range(70_000, 70_003)]:
        assert copies(sandbox, user_id, text) == 1


async def test_zalo_bot_runs_alone_without_telegram(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock
) -> None:
    """Any channel can be off: with only ZALO_BOT_TOKEN, Zalo Bot opens the services itself."""
    alone = zalo_settings(settings, sandbox)
    assert alone.bot_token is None
    async with zalo_running(alone, clock) as zalo:
        lan = await known(zalo, sandbox, 5001, "Lan")
        await lan.send("lam giay khai sinh cho con can giay to gi")
        await lan.next_message(contains="Đăng ký khai sinh")
        number = await number_of(zalo, lan)
        text = "Lịch họp thôn tối thứ Bảy"
        await zalo.services.notifier.notify(
            Recipient(ZALO_BOT_SPEC.name, str(number)), OutgoingMessage(text)
        )
        await lan.next_message(contains=text)  # its own sender delivered it
    assert not sandbox.state.calls_for("getMe")  # nothing asked of Telegram


async def test_a_zalo_citizen_subscribes_asks_files_feedback_and_rates_the_officers_answer(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, bot_settings: Settings
) -> None:
    """The journey on the real Zalo Bot transport: onboarding by numbers, the FAQ without
    diacritics, /feedback with a photo, a Telegram officer's answer, the rating by number."""
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    both_on = zalo_settings(bot_settings, sandbox)
    async with AsyncExitStack() as stack:
        host = await stack.enter_async_context(running(both_on, clock))
        await stack.enter_async_context(zalo_running(both_on, clock, host.services))
        lan = sandbox.zalo_user(5001, "Lan", "Nguyễn Thị")
        hoa = sandbox.user(OFFICER, first_name="Hoa")
        await onboard_by_numbers(lan)  # type: ignore[arg-type]  # a SimZaloUser talks the same
        number = await number_of(host, lan)
        citizen = await host.services.citizens.get(Recipient(ZALO_BOT_SPEC.name, str(number)))
        assert citizen is not None and citizen.onboarded and citizen.village_id == "dong-tam"

        await lan.send("lam giay khai sinh cho con can giay to gi")
        answer = await lan.next_message(contains="Đăng ký khai sinh")
        assert "Giấy chứng sinh" in answer.text

        code = await file_feedback(lan)  # type: ignore[arg-type]
        card = await hoa.wait_for(contains=code)
        assert "Nguyễn Thị Lan" in card.text
        # The officer on Telegram sees the photo the citizen sent on Zalo.
        photo = await hoa.wait_for(lambda m: m.kind == "photo" and code in m.content)
        shown = sandbox.state.files.get(photo.data["photo"][-1]["file_id"])
        assert shown is not None and shown.data == SAMPLE_PNG

        await hoa.press("Trả lời", card)
        await hoa.wait_for(contains="Gửi nội dung trả lời")
        await hoa.send("Xã đã cho san lấp đoạn đường này sáng thứ Ba.")
        await hoa.press("Gửi câu trả lời")
        await hoa.wait_for(contains="Đã gửi câu trả lời")
        await lan.wait_for(contains="Xã đã cho san lấp đoạn đường này sáng thứ Ba.")
        # The outbox sent the answer through the Zalo channel, its buttons as a list.
        await choose(lan, "✅ Đã rõ")  # type: ignore[arg-type]
        await lan.next_message(contains="Chấm từ 1 đến 5")
        await choose(lan, "⭐⭐⭐⭐")  # type: ignore[arg-type]
        await lan.next_message(contains="Cảm ơn bạn đã đánh giá")
        case = await host.services.cases.repo.by_code(code)
        assert case is not None and case.rating == 4
        # Everything the Zalo citizen got went through the Zalo Bot API, within its limits.
        sent = [c for c in sandbox.state.calls if c.method.startswith("zalo.send")]
        assert sent and all(len(str(c.params.get("text", ""))) <= 2000 for c in sent)
        assert not sandbox.state.calls_for("sendMessage", 5001)  # nothing on Telegram's side


async def test_a_handlers_send_of_a_kept_photo_on_zalo_says_so_and_caches_no_id(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    """Zalo Bot takes photos by public URL only: the gateway sends a note in the photo's
    place, which the handler's channel neither fails on nor caches (under any channel)."""
    _, zalo = both
    lan = await known(zalo, sandbox, 5001, "Lan")
    kept = await zalo.services.files.put(SAMPLE_PNG, "image/png", "anh.png")
    message = OutgoingMessage("Ảnh hiện trường", attachment=Attachment("photo", kept.ref))
    channel = reply_channel(CallbackContext(zalo.app))
    await channel.send(Recipient(ZALO_BOT_SPEC.name, str(await number_of(zalo, lan))), message)
    await lan.next_message(contains="Ảnh hiện trường")
    for name in ("telegram", ZALO_BOT_SPEC.name):
        assert await zalo.services.files.cache_ref(kept.sha256, name) is None


# A report for an officer on Zalo Bot, which takes no files and gets no link:
# the bot serves no files over HTTP (a signed link would need a public address
# it does not have when polling), so the honest answer is where the Word file
# can be had: Telegram, the Zalo OA or the command line.


async def zalo_officer(bot: RunningBot, sandbox: SandboxServer) -> tuple[SimZaloUser, Recipient]:
    """An office officer registered by their Zalo Bot id, as `officer add --channel zalo_bot`."""
    hoa = sandbox.zalo_user(6001, "Hoa")
    recipient = Recipient(ZALO_BOT_SPEC.name, str(await number_of(bot, hoa)))
    await bot.services.officers.add(recipient, "Chị Hoa", {Role.OFFICE})
    return hoa, recipient


async def test_report_on_zalo_bot_says_where_the_word_file_is_to_be_had(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot]
) -> None:
    _, zalo = both
    hoa, _ = await zalo_officer(zalo, sandbox)
    await hoa.send("/report 2026-03")
    answer = await hoa.next_message(contains="Zalo Bot không gửi được tệp")
    assert "báo cáo tháng 3 năm 2026 (tệp Word) không gửi tới đây được" in answer.text
    assert "“/report 2026-03” cho bot của xã trên Telegram hoặc cho Zalo OA" in answer.text
    assert "“python -m bot report --period 2026-03 --out bao-cao.docx”" in answer.text
    await hoa.send("/report 2026-03")  # a marker: nothing else came between the two
    await hoa.next_message(contains="Zalo Bot không gửi được tệp")
    # Not compiled in vain, and no "a file is attached, kept with your case" note.
    assert not any("⏳" in text or "có kèm một tệp" in text for text in hoa.texts)
    assert len(hoa.texts) == 2


async def test_a_reminder_s_draft_report_is_named_with_where_to_get_it(
    sandbox: SandboxServer, both: tuple[RunningBot, RunningBot], tmp_path: Path
) -> None:
    _, zalo = both
    hoa, recipient = await zalo_officer(zalo, sandbox)
    draft = tmp_path / "bao-cao-thang-03-2026.docx"
    draft.write_bytes(b"PK\x03\x04 a Word file")
    reminder = OutgoingMessage(
        "⏰ Nhắc việc: Báo cáo tháng 3",
        attachment=Attachment("document", str(draft), filename=draft.name),
    )
    await zalo.services.notifier.notify(recipient, reminder)
    got = await hoa.next_message(contains="Nhắc việc")
    assert "Zalo Bot không gửi được tệp, nên bao-cao-thang-03-2026.docx không kèm theo đây" in (
        got.text
    )
    assert "“/report”" in got.text and "Zalo OA" in got.text
    await drained(zalo)
