"""PlainRequest: a real PTB Bot's calls, as a channel without buttons, HTML or edits receives them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.request import BaseRequest, RequestData

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.core.i18n import use_language
from bot.messaging.actions import parse_action
from bot.messaging.channels import TELEGRAM_SPEC, ZALO_BOT_SPEC, ZALO_OA_SPEC, ChannelSpec
from bot.messaging.choices import ChoiceStore, choice_number
from bot.messaging.messages import Button, OutgoingMessage
from bot.people.actions import OnboardLanguage
from handlers.telegram.plain_request import (
    PRESS_PREFIX,
    PlainRequest,
    instruction,
    message_lines,
    narrower,
)
from handlers.telegram.words import command_for, fold, spoken

CHAT = 42


class Recorder(BaseRequest):
    """A transport that records each call and answers as the Bot API would."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((endpoint, params))
        if endpoint == "getMe":
            result: object = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}
        elif endpoint.startswith("send"):
            chat = {"id": CHAT, "type": "private"}
            result = {"message_id": len(self.calls), "date": 0, "chat": chat, "text": "x"}
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self) -> list[dict[str, Any]]:
        return [p for e, p in self.calls if e != "getMe"]


@pytest.fixture
async def store(db: Database, clock: ManualClock) -> ChoiceStore:
    choices = ChoiceStore(db, clock, ZALO_BOT_SPEC.name)
    return choices


async def is_open(store: ChoiceStore) -> bool:
    found = await store.get(str(CHAT))
    return found is not None and found.open


async def bot_over(spec: ChannelSpec, store: ChoiceStore | None = None) -> tuple[Bot, Recorder]:
    recorder = Recorder()
    bot = Bot("1:T", request=PlainRequest(recorder, spec, store))
    await bot.initialize()
    return bot, recorder


@pytest.fixture
async def zalo(store: ChoiceStore) -> AsyncIterator[tuple[Bot, Recorder]]:
    bot, recorder = await bot_over(ZALO_BOT_SPEC, store)
    yield bot, recorder
    await bot.shutdown()


KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Tiếng Việt", callback_data="lang:vi")],
        [InlineKeyboardButton("English", callback_data="lang:en")],
        [InlineKeyboardButton("Bản đồ", url="https://maps.example/x")],
    ]
)


async def test_buttons_become_numbered_lines_and_an_open_list(
    zalo: tuple[Bot, Recorder], store: ChoiceStore
) -> None:
    bot, recorder = zalo
    with use_language("vi"):
        sent = await bot.send_message(
            CHAT, "<b>Chọn</b> &amp; gửi", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
        )
    (call,) = recorder.sent()
    assert call == {
        "chat_id": CHAT,
        "text": "Chọn & gửi\n\n1. Tiếng Việt\n2. English\n\n🔗 Bản đồ: https://maps.example/x"
        "\n\nTrả lời 1 hoặc 2.",
    }
    assert await is_open(store)
    found = await store.get(str(CHAT))
    assert found is not None and found.message_id == str(sent.message_id)
    assert found.actions == ("lang:vi", "lang:en")
    # Any later message of the bot closes the list; a reply keyboard is dropped.
    menu = ReplyKeyboardMarkup([[KeyboardButton("📰 Tin tức")]])
    await bot.send_message(CHAT, "Xong", reply_markup=menu)
    assert recorder.sent()[-1] == {"chat_id": CHAT, "text": "Xong"}
    assert not await is_open(store)


async def test_the_outbox_s_messages_leave_the_list_open(store: ChoiceStore) -> None:
    recorder = Recorder()
    bot = Bot("1:T", request=PlainRequest(recorder, ZALO_BOT_SPEC, store, answering=False))
    await bot.initialize()
    await bot.send_message(CHAT, "Câu trả lời", reply_markup=KEYBOARD)
    await bot.send_photo(CHAT, "https://x/p.jpg", caption="Ảnh kèm theo")
    assert await is_open(store)  # a notice's photo does not end its question


async def test_a_long_text_is_split_at_paragraph_ends_within_the_limit(
    zalo: tuple[Bot, Recorder],
) -> None:
    bot, recorder = zalo
    paragraphs = [f"<i>Đoạn {n}</i> " + "chữ " * 120 for n in range(12)]  # ~6,000 characters
    await bot.send_message(
        CHAT, "\n\n".join(paragraphs), parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    texts = [p["text"] for p in recorder.sent()]
    assert len(texts) >= 3 and all(len(t) <= 2000 for t in texts)
    assert all(t.startswith(("Đoạn ", "1. ")) for t in texts)  # each piece starts a paragraph
    assert "1. Tiếng Việt\n2. English\n\n🔗 Bản đồ" in texts[-1]  # the list kept whole
    assert "<" not in "".join(texts) and texts[-1].endswith("Trả lời 1 hoặc 2.")
    assert all("reply_markup" not in p for p in recorder.sent())


async def test_edits_become_new_messages_and_taking_buttons_off_does_nothing(
    zalo: tuple[Bot, Recorder],
) -> None:
    bot, recorder = zalo
    await bot.edit_message_text("Mới", chat_id=CHAT, message_id=5, reply_markup=KEYBOARD)
    await bot.edit_message_reply_markup(chat_id=CHAT, message_id=5, reply_markup=None)
    endpoints = [e for e, _p in recorder.calls if e != "getMe"]
    assert endpoints == ["sendMessage"]
    assert recorder.sent()[0]["text"].startswith("Mới\n\n1. Tiếng Việt")


async def test_the_answer_to_a_press_by_number_is_a_note_that_keeps_the_list(
    zalo: tuple[Bot, Recorder], store: ChoiceStore
) -> None:
    bot, recorder = zalo
    await bot.send_message(CHAT, "Chọn", reply_markup=KEYBOARD)
    await bot.answer_callback_query(f"{PRESS_PREFIX}{CHAT}:ab", "Cảm ơn!", show_alert=True)
    await bot.answer_callback_query(f"{PRESS_PREFIX}{CHAT}:cd")  # nothing to say: nothing sent
    assert [p["text"] for p in recorder.sent()][1:] == ["Cảm ơn!"]
    assert await is_open(store)


async def test_a_photo_goes_with_a_plain_caption_and_its_buttons_as_a_list_after_it(
    zalo: tuple[Bot, Recorder], store: ChoiceStore
) -> None:
    bot, recorder = zalo
    await bot.send_photo(
        CHAT, "https://x/p.jpg", caption="<b>Ảnh</b>", parse_mode="HTML", reply_markup=KEYBOARD
    )
    photo, listing = recorder.sent()
    assert photo == {"chat_id": CHAT, "photo": "https://x/p.jpg", "caption": "Ảnh"}
    assert listing["text"].startswith("1. Tiếng Việt") and await is_open(store)
    await bot.send_photo(CHAT, "https://x/q.jpg", parse_mode="HTML")  # no caption, no buttons
    assert recorder.sent()[-1] == {"chat_id": CHAT, "photo": "https://x/q.jpg"}
    assert not await is_open(store)


async def test_outside_an_update_the_list_is_worded_in_the_chat_s_language() -> None:
    async def english(chat: str) -> str | None:
        return "en" if chat == str(CHAT) else None

    recorder = Recorder()
    bot = Bot("1:T", request=PlainRequest(recorder, ZALO_BOT_SPEC, None, english))
    await bot.initialize()
    with use_language("vi"):  # the outbox sender's default
        await bot.send_message(CHAT, "Answer", reply_markup=KEYBOARD)
    assert recorder.sent()[0]["text"].endswith("Reply 1 or 2.")


async def test_a_channel_with_buttons_keeps_them_and_telegram_is_left_alone() -> None:
    bot, recorder = await bot_over(ZALO_OA_SPEC)
    await bot.send_message(CHAT, "<b>a</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD)
    (call,) = recorder.sent()
    assert call["text"] == "a" and "inline_keyboard" in call["reply_markup"]
    assert "parse_mode" not in call
    assert narrower(ZALO_OA_SPEC) and narrower(ZALO_BOT_SPEC) and not narrower(TELEGRAM_SPEC)


def test_an_outgoing_message_s_buttons_are_listed_the_same_way() -> None:
    """For a channel that sends the outbox's messages itself (a Zalo sender)."""
    message = OutgoingMessage(
        "Đã rõ?",
        buttons=(
            (
                Button("✅ Đã rõ", OnboardLanguage("vi")),
                Button("❓ Chưa rõ", OnboardLanguage("en")),
            ),
            (Button("Bản đồ", url="https://maps.example/x"),),
        ),
    )
    with use_language("vi"):
        lines, actions = message_lines(message)
    assert lines == (
        "1. ✅ Đã rõ\n2. ❓ Chưa rõ\n\n🔗 Bản đồ: https://maps.example/x\n\nTrả lời 1 hoặc 2."
    )
    assert [parse_action(a) for a in actions] == [OnboardLanguage("vi"), OnboardLanguage("en")]


@pytest.mark.parametrize(
    ("count", "vi", "en"),
    [
        (1, "Trả lời 1.", "Reply 1."),
        (2, "Trả lời 1 hoặc 2.", "Reply 1 or 2."),
        (3, "Trả lời 1, 2 hoặc 3.", "Reply 1, 2 or 3."),
        (7, "Trả lời bằng một số từ 1 đến 7.", "Reply with a number from 1 to 7."),
    ],
)
def test_instruction(count: int, vi: str, en: str) -> None:
    with use_language("vi"):
        assert instruction(count) == vi
    with use_language("en"):
        assert instruction(count) == en


@pytest.mark.parametrize(
    ("text", "number"),
    [("2", 2), (" 2 ", 2), ("số 2", 2), ("So 12", 12), ("#3", 3), ("2.", 2), ("2 con", None)],
)
def test_choice_number(text: str, number: int | None) -> None:
    assert choice_number(text) == number


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("bắt đầu", "/start"),
        ("Bat dau", "/start"),
        ("tra cứu PA-7KX45", "/track PA-7KX45"),
        ("tra cuu  PA-7KX45", "/track PA-7KX45"),
        ("TRA CỨU", "/track"),
        ("hủy", "/cancel"),
        ("huy", "/cancel"),
        ("hủy đăng ký", "/stop"),
        ("trợ giúp", "/help"),
        ("tro giup!", "/help"),
        ("Help", "/help"),
        ("tin tuc", "/news"),
        ("gop y", "/feedback"),
        ("du lieu cua toi", "/mydata"),
        ("my data", "/mydata"),
        ("lay y kien", "/consult"),
        ("hoi dap", "/answers"),
        ("huy bo cai nay", None),  # only the whole message, for a command without arguments
        ("xin chào", None),
        ("đăng ký", None),  # a question about registering, not a subscription
        ("bắt đầu lại từ đầu đi", None),
    ],
)
def test_plain_words(text: str, command: str | None) -> None:
    assert command_for(text) == command


def test_fold() -> None:
    assert fold("  Đăng   KÝ. ") == "dang ky"


@pytest.mark.parametrize(
    ("text", "vi", "en"),
    [
        ("Gửi /track PA-7KX45.", "Gửi “tra cứu” PA-7KX45.", "Gửi “track” PA-7KX45."),
        ("(hoặc gửi /cancel):", "(hoặc gửi “hủy”):", "(hoặc gửi “cancel”):"),
        ("/settings, /stop", "“cài đặt”, “ngừng nhận tin”", "“settings”, “stop”"),
        ("/case PA-7KX45", "/case PA-7KX45", "/case PA-7KX45"),  # no word: typed, it works
        ("https://xa.gov.vn/news", "https://xa.gov.vn/news", "https://xa.gov.vn/news"),
        ("a/help", "a/help", "a/help"),
    ],
)
def test_commands_are_worded_for_people_who_type_no_slashes(text: str, vi: str, en: str) -> None:
    assert spoken(text) == vi
    with use_language("en"):
        assert spoken(text) == en
