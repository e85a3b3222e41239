"""A Zalo-like citizen: the real bot built for ZALO_BOT_SPEC (no buttons, no edits, plain text,
2,000 characters, no slash commands) over HTTP against a sandbox of its own, beside the
Telegram application the officers use, sharing one set of services."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import ZALO_BOT_SPEC, Recipient
from bot.people.officers import Role
from handlers.telegram import words
from sandbox import SandboxServer
from sandbox.harness import SimUser
from sandbox.views import ChatMessage
from tests.e2e.cases_steps import CODE_RE, TEXT
from tests.e2e.conftest import add_officer
from tests.e2e.duty_helpers import running

CITIZEN, OFFICER = 1001, 2001
NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)
TAG = re.compile(r"</?(b|i|u|s|a|code|pre|blockquote|tg-[a-z]+)\b[^>]*>")
# What a Zalo citizen cannot act on: Telegram's name, buttons to press, the
# paperclip, a slash command that has a plain word ("/track" for "tra cứu").
SLASHED = "|".join(w.command for w in words.WORDS)
NOT_ON_ZALO = re.compile(rf"Telegram|\b[Bb]ấm\b|\bnút\b|📎|(?<![\w/.:])/({SLASHED})\b")


@pytest.fixture
async def zalo_sandbox() -> AsyncIterator[SandboxServer]:
    """The Zalo-like channel's own server: its chats are what a Zalo citizen sees."""
    server = SandboxServer(token="7000000003:SANDBOX_zalo_like", personas=[])
    await server.start("127.0.0.1", 0)
    yield server
    await server.stop()


@pytest.fixture
def zalo_settings(bot_settings: Settings, zalo_sandbox: SandboxServer) -> Settings:
    return replace(bot_settings, bot_token=zalo_sandbox.token, bot_api_url=zalo_sandbox.root_url)


def number_of(message: ChatMessage, label: str) -> str:
    """The number of the line showing `label` (exactly, else within it) in a message's list."""
    lines = NUMBERED.findall(message.content)
    for number, line in [*((n, t) for n, t in lines if t == label), *lines]:
        if label in line:
            return str(number)
    raise AssertionError(f"no numbered line with {label!r} in {message.content!r}")


async def choose(user: SimUser, label: str) -> None:
    """Answer the latest list that shows `label` with its number, as a Zalo user would."""
    listed = [m for m in user.messages if _lists(m, label)]
    assert listed, f"no list shows {label!r}"
    user.skip_pending()
    await user.send(number_of(listed[-1], label))


def _lists(message: ChatMessage, label: str) -> bool:
    return any(label in line for _n, line in NUMBERED.findall(message.content))


def assert_plain(sandbox: SandboxServer, chat_id: int) -> int:
    """Every call the bot made for the chat is one a Zalo Bot could carry; returns their count."""
    calls = sandbox.state.calls_for(None, chat_id)
    assert calls
    for call in calls:
        where = f"{call.method} {call.params}"
        assert call.status == 200, f"{where}: {call.description}"
        assert not call.method.lower().startswith("edit"), where
        assert "reply_markup" not in call.params and "parse_mode" not in call.params, where
        text = str(call.params.get("text") or call.params.get("caption") or "")
        assert not TAG.search(text), where
        assert len(text) <= ZALO_BOT_SPEC.text_limit, where
        assert not NOT_ON_ZALO.search(text), where
    return len(calls)


async def onboard_by_numbers(lan: SimUser) -> None:
    await lan.send("xin chào")  # whatever a newcomer says starts onboarding
    greeting = await lan.next_message(contains="Tiếng Việt")
    assert "1. Tiếng Việt" in greeting.text and "Trả lời 1 hoặc 2." in greeting.text
    await choose(lan, "Tiếng Việt")
    await lan.next_message(contains="thôn nào")
    await choose(lan, "Thôn Đồng Tâm")
    await lan.next_message(contains="chuyên mục nào")
    await choose(lan, "Dân vận khéo")
    # Without edits the topics come again, ticked, as a new list that replaces the old one.
    await lan.next_message(contains="✅ Dân vận khéo")
    await choose(lan, "Xong")
    saved = await lan.next_message(contains="Đã lưu")
    assert "Thôn Đồng Tâm" in saved.text and "Dân vận khéo" in saved.text
    done = await lan.wait_for(contains="Bạn đã đăng ký nhận tin")
    assert "Gửi “cài đặt” để thay đổi lựa chọn, hoặc “trợ giúp”" in done.text


async def file_feedback(lan: SimUser) -> str:
    """The /feedback form by plain words and numbers, with a photo; returns the code."""
    await lan.send("gop y")
    await lan.next_message(contains="Bạn muốn gửi gì")
    await choose(lan, "Phản ánh")
    await lan.next_message(contains="lĩnh vực nào")
    await choose(lan, "Đường sá, hạ tầng")
    await lan.next_message(contains="thôn nào")
    await choose(lan, "Thôn Tân Hưng")
    asked = await lan.next_message(contains="Xin mô tả bằng lời của bạn")
    assert "thoại" not in asked.text  # Zalo Bot carries no voice note, so none is asked for
    await lan.send(TEXT)
    offer = await lan.next_message(contains="Bạn có thể gửi thêm")
    assert offer.text.startswith("Bạn có thể gửi thêm ảnh. ")  # photos: no file, no pin
    await lan.send_photo()
    await lan.next_message(contains="1 ảnh")
    await choose(lan, "Tiếp tục")
    consent = await lan.next_message(contains="không bao giờ công khai")
    count = len(NUMBERED.findall(consent.content))
    await lan.send("9")  # outside the list: a hint, and the list stays open
    hint = await lan.next_message()
    assert hint.text == f"Vui lòng chọn một số từ 1 đến {count}."
    await choose(lan, "Tôi đồng ý")
    await lan.next_message(contains="nhập họ tên và số điện thoại")  # no button to share it
    await lan.send("Nguyễn Thị Lan 0987 654 321")
    review = await lan.next_message(contains="Xin kiểm tra lại")
    assert "Vị trí" not in review.text  # no location line where none can be sent
    await choose(lan, "✅ Gửi")
    assert (await lan.next_message()).text == "✅ Đã gửi."  # not the whole form again
    done = await lan.next_message(contains="PA-")
    found = CODE_RE.search(done.text)
    assert found is not None, done.text
    return found.group()


async def test_zalo_like_citizen_walks_onboarding_faq_and_feedback_to_the_officers_answer(
    sandbox: SandboxServer,
    zalo_sandbox: SandboxServer,
    bot_settings: Settings,
    zalo_settings: Settings,
    settings: Settings,
    clock: ManualClock,
) -> None:
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    async with (
        running(bot_settings, clock) as host,
        running(zalo_settings, clock, channel=ZALO_BOT_SPEC, services=host.services),
    ):
        lan = zalo_sandbox.user(CITIZEN, first_name="Lan", language_code="vi")
        hoa = sandbox.user(OFFICER, first_name="Hoa")
        await onboard_by_numbers(lan)
        citizen = await host.services.citizens.get(Recipient(ZALO_BOT_SPEC.name, str(CITIZEN)))
        assert citizen is not None and citizen.onboarded and citizen.village_id == "dong-tam"

        # The onboarding moved on: a number now is not an FAQ question but a stale answer.
        await lan.send("2")
        await lan.next_message(contains="hết hiệu lực")

        await lan.send("lam giay khai sinh cho con can giay to gi")
        answer = await lan.next_message(contains="Đăng ký khai sinh")
        assert "Giấy chứng sinh" in answer.text
        await choose(lan, "Đã rõ, cảm ơn")
        await lan.next_message(contains="Cảm ơn bạn")  # the press's answer, as a plain message

        code = await file_feedback(lan)
        card = await hoa.wait_for(contains=code)
        assert "Nguyễn Thị Lan" in card.text
        await hoa.wait_for(lambda m: m.kind == "photo" and code in m.content)

        await lan.send(f"tra cuu {code}")  # "tra cứu" without diacritics
        assert code in (await lan.next_message(contains=code)).text

        await hoa.press("Trả lời", card)
        await hoa.wait_for(contains="Gửi nội dung trả lời")
        await hoa.send("Xã đã cho san lấp đoạn đường này sáng thứ Ba.")
        await hoa.send_photo()
        await hoa.press("Gửi câu trả lời")
        await hoa.wait_for(contains="Đã gửi câu trả lời")
        await lan.wait_for(contains="Xã đã cho san lấp đoạn đường này sáng thứ Ba.")
        # The officer's photo, uploaded from the bot's own files with a plain caption.
        await lan.wait_for(lambda m: m.kind == "photo" and code in m.content)
        # The outbox sent that answer with its buttons as a list: answered by number too.
        await choose(lan, "✅ Đã rõ")
        await lan.next_message(contains="Chấm từ 1 đến 5")
        await choose(lan, "⭐⭐⭐⭐")
        await lan.next_message(contains="Cảm ơn bạn đã đánh giá")
        case = await host.services.cases.repo.by_code(code)
        assert case is not None and case.rating == 4

        assert assert_plain(zalo_sandbox, CITIZEN) > 20


async def test_an_open_list_survives_a_restart_a_command_closes_it_and_help_lists_words(
    zalo_sandbox: SandboxServer, zalo_settings: Settings, clock: ManualClock
) -> None:
    async with running(zalo_settings, clock, channel=ZALO_BOT_SPEC):
        mai = zalo_sandbox.user(1003, first_name="Mai", language_code="vi")
        await mai.send("Bat dau")
        await mai.next_message(contains="2. English")
    async with running(zalo_settings, clock, channel=ZALO_BOT_SPEC):
        await mai.send(" 2 ")
        await mai.next_message(contains="Which village")
        await mai.send("tro giup")
        help_text = (await mai.next_message(contains="Here is what I can do")).text
        assert "“track” —" in help_text and "/track —" not in help_text
        assert "“help” —" in help_text and "/help —" not in help_text
        # The command moved the flow on: the villages' list is closed.
        await mai.send("3")
        await mai.next_message(contains="That list is no longer open")
    assert_plain(zalo_sandbox, 1003)


async def test_the_menu_s_entries_by_plain_words(
    zalo_sandbox: SandboxServer, zalo_settings: Settings, clock: ManualClock
) -> None:
    async with running(zalo_settings, clock, channel=ZALO_BOT_SPEC) as bot:
        lan = zalo_sandbox.user(CITIZEN, first_name="Lan", language_code="vi")
        await onboard_by_numbers(lan)
        replies = {
            "Tin tức": "Tin mới của xã",
            "hoi dap": "công khai",
            "du lieu cua toi": "Những thông tin bot đang lưu về bạn",
            "lay y kien": "lấy ý kiến",
            "thong ke": "Công khai số liệu",
        }
        for word, reply in replies.items():
            await lan.send(word)
            await lan.next_message(contains=reply)
        await lan.send("ngung nhan tin")
        await lan.next_message(contains="Bạn muốn ngừng nhận thông báo")
        await choose(lan, "Có, ngừng nhận")
        await lan.next_message(contains="Bạn sẽ không nhận thông báo nữa")
        citizen = await bot.services.citizens.get(Recipient(ZALO_BOT_SPEC.name, str(CITIZEN)))
        assert citizen is not None and not citizen.subscribed
    assert_plain(zalo_sandbox, CITIZEN)
