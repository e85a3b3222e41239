"""The Bot API surface against a real telegram.Bot: shapes, updates, files, errors."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter

from sandbox import SAMPLE_PNG, SandboxServer, make_png


async def test_get_me_and_tokens(sandbox: SandboxServer, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == int(sandbox.token.split(":")[0])
    assert me.is_bot and me.username == "danvan_sandbox_bot"
    assert me.first_name == "Dân vận (sandbox)"
    assert me.can_join_groups and me.can_read_all_group_messages is False
    assert len(sandbox.token.split(":")[1]) >= 35
    wrong = Bot("123:wrong", base_url=sandbox.base_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()  # getMe answers 401 Unauthorized
    await wrong.shutdown()
    async with httpx.AsyncClient() as client:
        res = await client.post(f"{sandbox.base_url}{sandbox.token}/noSuchMethod")
        assert res.status_code == 404
        assert res.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        res = await client.post(f"{sandbox.base_url}123:wrong/getMe")
        assert res.json()["description"] == "Unauthorized" and res.status_code == 401


async def test_get_updates_long_poll_and_offsets(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert time.monotonic() - started >= 0.25

    async def later() -> None:
        await asyncio.sleep(0.1)
        await lan.start("abc123")

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=30)
    await task
    assert time.monotonic() - started < 10  # answered when the update came, not at 30 s
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start abc123"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert message.chat.id == 1001 and message.from_user and message.from_user.language_code == "vi"

    await lan.send("hai")
    await lan.send("ba")
    again = await bot.get_updates()
    assert again[0].update_id == updates[0].update_id  # not confirmed yet
    assert len(again) == 3
    assert len(await bot.get_updates(limit=2)) == 2
    rest = await bot.get_updates(offset=again[1].update_id)
    assert [u.message.text for u in rest if u.message] == ["hai", "ba"]
    assert await bot.get_updates(offset=again[-1].update_id + 1) == ()
    await lan.send("x")
    await lan.send("y")
    assert [u.message.text for u in await bot.get_updates(offset=-1) if u.message] == ["y"]


async def test_send_edit_delete_shapes(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Có", callback_data="yes"),
                InlineKeyboardButton("Web", url="https://example.org"),
            ]
        ]
    )
    sent = await bot.send_message(
        1001,
        "<b>Xin chào</b> 😀 <i>bạn</i>",
        parse_mode="HTML",
        reply_markup=markup,
        protect_content=True,
    )
    assert sent.text == "Xin chào 😀 bạn"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 8),
        ("italic", 12, 3),
    ]
    assert sent.from_user and sent.from_user.is_bot and sent.has_protected_content
    assert sent.reply_markup == markup
    view = lan.messages[-1]
    assert view.buttons == [[("Có", "yes"), ("Web", "https://example.org")]]
    assert view.parse_mode == "HTML" and view.kind == "text"

    edited = await bot.edit_message_text("Đã sửa", chat_id=1001, message_id=sent.message_id)
    assert isinstance(edited, object) and getattr(edited, "edit_date", None) is not None
    assert view.text == "Đã sửa" and view.edit_count == 1 and view.buttons == []  # keyboard dropped
    with pytest.raises(
        BadRequest, match=r"(?i)message is not modified: specified new message content"
    ):
        await bot.edit_message_text("Đã sửa", chat_id=1001, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("x", chat_id=1001, message_id=999)
    await bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=markup)
    assert view.buttons[0][0] == ("Có", "yes")
    assert await bot.delete_message(1001, sent.message_id) is True
    assert view.deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(1001, sent.message_id)

    reply = await bot.send_message(
        1001,
        "trả lời",
        reply_parameters=ReplyParameters(sent.message_id - 1, allow_sending_without_reply=True),
    )
    assert reply.reply_to_message is None
    user_msg = await lan.send("câu hỏi")
    reply = await bot.send_message(1001, "đáp", reply_to_message_id=user_msg.message_id)
    assert reply.reply_to_message and reply.reply_to_message.text == "câu hỏi"
    assert sandbox.state.delivered(1001) == 3
    assert "Xin chào 😀 bạn" in sandbox.state.texts_sent_to(1001)
    assert "Đã sửa" in lan.texts


async def test_reply_keyboards(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    keyboard = ReplyKeyboardMarkup(
        [["Góp ý", "Hỏi đáp"], [KeyboardButton("Gửi số điện thoại", request_contact=True)]],
        one_time_keyboard=True,
    )
    sent = await bot.send_message(1001, "Chọn", reply_markup=keyboard)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    assert lan.reply_keyboard == [["Góp ý", "Hỏi đáp"], ["Gửi số điện thoại"]]
    pressed = await lan.press_reply("Góp ý")
    assert pressed.text == "Góp ý" and lan.keyboard_hidden
    contact = await lan.press_reply("Gửi số điện thoại")
    assert contact.data["contact"]["user_id"] == 1001
    assert contact.data["contact"]["phone_number"] == "+84901000001"
    with pytest.raises(AssertionError, match="no reply keyboard button"):
        await lan.press_reply("Không có")
    await bot.send_message(1001, "Xong", reply_markup=ReplyKeyboardRemove())
    assert lan.reply_keyboard is None
    await bot.send_message(1001, "Tên?", reply_markup=ForceReply())
    assert sandbox.state.chats[1001].force_reply == {"force_reply": True}
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["Góp ý", None]


async def test_photo_upload_get_file_and_download(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    image = make_png(1000, 500)
    sent = await bot.send_photo(1001, image, caption="<b>Ảnh</b>", parse_mode="HTML")
    assert sent.caption == "Ảnh" and sent.caption_entities[0].type == "bold"
    sizes = sent.photo
    assert [(s.width, s.height) for s in sizes] == [(90, 45), (320, 160), (800, 400), (1000, 500)]
    assert len({s.file_id for s in sizes}) == len(sizes)
    file = await bot.get_file(sizes[-1].file_id)
    assert file.file_size == len(image)
    assert bytes(await file.download_as_bytearray()) == image
    again = await bot.send_photo(1001, sizes[-1].file_id)
    assert [s.file_id for s in again.photo] == [s.file_id for s in sizes]
    by_url = await bot.send_photo(1001, "https://example.org/a.jpg")
    assert by_url.photo and (await bot.get_file(by_url.photo[-1].file_id)).file_path is None
    doc = await bot.send_document(1001, b"%PDF-1.4", filename="báo cáo.pdf")
    assert doc.document and doc.document.file_name == "báo cáo.pdf"
    assert doc.document.mime_type == "application/pdf"
    assert lan.messages[-1].kind == "document" and lan.messages[-1].file_ids == [
        doc.document.file_id
    ]

    user_photo = await lan.send_photo(SAMPLE_PNG, caption="ổ gà")
    update = (await bot.get_updates())[-1]
    assert update.message and update.message.caption == "ổ gà"
    got = await bot.get_file(update.message.photo[-1].file_id)
    assert bytes(await got.download_as_bytearray()) == SAMPLE_PNG
    assert user_photo.file_ids[-1] == update.message.photo[-1].file_id
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("nope")

    group = await bot.send_media_group(
        1001, [InputMediaPhoto(image), InputMediaPhoto(SAMPLE_PNG, caption="2")]
    )
    assert len(group) == 2 and group[0].media_group_id == group[1].media_group_id
    loc = await bot.send_location(1001, 21.0, 105.8)
    assert loc.location and loc.location.latitude == 21.0
    copied = await bot.copy_message(1001, 1001, sent.message_id, caption="bản sao")
    assert (
        lan.messages[-1].caption == "bản sao" and lan.messages[-1].message_id == copied.message_id
    )
    forwarded = await bot.forward_message(1001, 1001, user_photo.message_id)
    assert forwarded.forward_origin and forwarded.forward_origin.type == "user"


@pytest.mark.parametrize(
    ("kwargs", "wording"),
    [
        ({"text": "x" * 4097}, "Message is too long"),
        ({"text": "<b>" + "é" * 4096 + "</b>", "parse_mode": "HTML"}, None),
        ({"text": "😀" * 2049}, "Message is too long"),
        ({"text": "   "}, "Message text is empty"),
        ({"text": "<b></b>", "parse_mode": "HTML"}, "Message text is empty"),
        (
            {"text": "a < b", "parse_mode": "HTML"},
            'Can\'t parse entities: unsupported start tag "" at byte offset 2',
        ),
        ({"text": "<div>x</div>", "parse_mode": "HTML"}, 'Unsupported start tag "div"'),
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            'Can\'t find end tag corresponding to start tag "b"',
        ),
        ({"text": "<b>x</i>", "parse_mode": "HTML"}, "Unmatched end tag"),
        ({"text": "Tom & Jerry", "parse_mode": "HTML"}, "Can't parse entities"),
        ({"text": "1.5", "parse_mode": "MarkdownV2"}, "Character '.' is reserved"),
        (
            {
                "text": "x",
                "reply_markup": InlineKeyboardMarkup(
                    [[InlineKeyboardButton("a", callback_data="d" * 65)]]
                ),
            },
            "Button_data_invalid",
        ),
    ],
)
async def test_validation_errors(bot: Bot, kwargs: dict[str, object], wording: str | None) -> None:
    if wording is None:
        assert (await bot.send_message(1001, **kwargs)).text == "é" * 4096  # type: ignore[arg-type]
        return
    with pytest.raises(BadRequest) as info:
        await bot.send_message(1001, **kwargs)  # type: ignore[arg-type]
    assert wording.lower() in info.value.message.lower()


async def test_raw_error_wording(sandbox: SandboxServer) -> None:
    """PTB rewrites descriptions a little; the wire format must be Telegram's exactly."""
    url = f"{sandbox.base_url}{sandbox.token}"
    async with httpx.AsyncClient() as client:
        res = await client.post(f"{url}/sendMessage", json={"chat_id": 1001, "text": "x" * 5000})
        assert res.status_code == 400
        assert res.json() == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: message is too long",
        }
        res = await client.post(f"{url}/sendMessage", data={"chat_id": "424242", "text": "x"})
        assert res.json()["description"] == "Bad Request: chat not found"
        res = await client.post(
            f"{url}/sendPhoto",
            data={"chat_id": "1001", "caption": "c" * 1025, "photo": "https://e.org/x.jpg"},
        )
        assert res.json()["description"] == "Bad Request: message caption is too long"
        res = await client.post(f"{url}/answerCallbackQuery", data={"callback_query_id": "1"})
        assert res.json()["description"] == (
            "Bad Request: query is too old and response timeout expired or query ID is invalid"
        )
        res = await client.get(f"{url}/getMe")
        assert res.json()["ok"] is True


async def test_block_forbidden_and_my_chat_member(sandbox: SandboxServer, bot: Bot) -> None:
    lan = sandbox.user(1001)
    lan.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(1001, "hello")
    lan.unblock()
    await bot.send_message(1001, "hello")
    kinds = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in await bot.get_updates()
        if u.my_chat_member
    ]
    assert kinds == [("member", "kicked"), ("kicked", "member")]
    sandbox.user(555, started=False)
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(555, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(777777, "hi")


async def test_fault_injection(
    sandbox: SandboxServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, constructing RetryAfter emits a PTBDeprecationWarning (an error here).
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    sandbox.inject("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1001, "a")
    assert info.value.retry_after.total_seconds() == 7  # type: ignore[union-attr]
    sandbox.inject("sendMessage", status=502, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(1001, "b")
    sandbox.inject(None, status=500, chat_id=1002)
    await bot.send_message(1001, "c")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_photo(1002, SAMPLE_PNG)
    sandbox.inject("sendMessage", status=403, chat_id=1001)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(1001, "d")
    statuses = [c.status for c in sandbox.state.calls_for("sendMessage")]
    assert statuses == [429, 502, 502, 200, 403]
    assert sandbox.state.delivered(1001) == 1


async def test_flood_limits(
    sandbox: SandboxServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    clock = [100.0]
    sandbox.limits.clock = lambda: clock[0]
    sandbox.limits.configure(enabled=True, per_second=3)
    await bot.send_message(1001, "1")
    with pytest.raises(RetryAfter):
        await bot.send_message(1001, "2")  # same private chat within a second
    await bot.send_message(1002, "1")
    await bot.send_message(1003, "1")
    with pytest.raises(RetryAfter):
        await bot.send_message(9001, "1")  # 4th message in the same second overall
    assert sandbox.limits.rejected == 2 and sandbox.limits.rejected_by_chat == {1001: 1, 9001: 1}
    clock[0] += 1.01
    await bot.send_message(1001, "2")
    await bot.send_message(9001, "1")


async def test_commands_scopes_and_languages(sandbox: SandboxServer, bot: Bot) -> None:
    state = sandbox.state
    await bot.set_my_commands([BotCommand("start", "Bắt đầu"), BotCommand("gopy", "Góp ý")])
    await bot.set_my_commands([BotCommand("start", "Start")], language_code="en")
    await bot.set_my_commands(
        [BotCommand("duyet", "Duyệt phản ánh")], scope=BotCommandScopeChat(9001)
    )
    await bot.set_my_commands(
        [BotCommand("help", "Trợ giúp")], scope=BotCommandScopeAllPrivateChats(), language_code="vi"
    )
    assert [c["command"] for c in state.commands_for(1001, "vi")] == ["help"]
    assert [c["command"] for c in state.commands_for(1003, "en")] == ["start"]
    assert [c["description"] for c in state.commands_for(1003, "en")] == ["Start"]
    assert [c["command"] for c in state.commands_for(9001, "vi")] == ["duyet"]
    assert [c["command"] for c in state.commands_for(-100, "fr")] == ["start", "gopy"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(9001))] == [
        "duyet"
    ]
    assert await bot.get_my_commands(language_code="fr") == ()
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="vi")
    assert [c["command"] for c in sandbox.user(1001).commands] == ["start", "gopy"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    await bot.set_chat_menu_button(chat_id=1001)
    assert (await bot.get_chat_menu_button(1001)).type == "commands"
    chat = await bot.get_chat(1001)
    assert chat.first_name == "Lan" and chat.type == "private"
    member = await bot.get_chat_member(1001, 1001)
    assert member.status == "member"
    assert await bot.set_my_description("Mô tả") and await bot.set_my_short_description("Ngắn")
    assert (await bot.get_my_description()).description == "Mô tả"
    assert await bot.delete_webhook() and (await bot.get_webhook_info()).url == ""


async def test_webhook_keeps_its_secret_and_reports_failed_deliveries(
    sandbox: SandboxServer, bot: Bot
) -> None:
    hook = "https://bot.example.test/telegram-hook"
    with pytest.raises(BadRequest, match="ecret token contains unallowed characters"):
        await bot.set_webhook(hook, secret_token="not a secret!")
    assert await bot.set_webhook(hook, secret_token="s3cret_-")
    assert sandbox.state.webhook_secret == "s3cret_-"
    info = await bot.get_webhook_info()
    assert info.url == hook and "s3cret_-" not in str(info.to_dict())
    await sandbox.user(1001).send("chào")
    # Forwarded to the sandbox itself, where nothing answers at that path: 404.
    sandbox.deliver_webhook_to(sandbox.root_url)
    for _ in range(500):
        if "last_error_message" in sandbox.state.webhook:
            break
        await asyncio.sleep(0.01)
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 404 Not Found"
    assert info.last_error_date is not None and info.pending_update_count == 1
    assert await bot.delete_webhook()
    assert sandbox.state.webhook_secret is None
