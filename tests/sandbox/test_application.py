"""A real PTB Application polling the sandbox, driven by simulated users."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import Forbidden
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from sandbox import SandboxServer

from .conftest import AppFactory

Ctx = ContextTypes.DEFAULT_TYPE


async def start(update: Update, context: Ctx) -> None:
    assert update.effective_chat and update.effective_message
    if update.effective_chat.type != ChatType.PRIVATE:
        await update.effective_message.reply_text("Chỉ dùng trong chat riêng.")
        return
    payload = " ".join(context.args or [])
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("👍 Đồng ý", callback_data="vote:yes"),
                InlineKeyboardButton("Không", callback_data="vote:no"),
            ]
        ]
    )
    await context.bot.send_message(
        update.effective_chat.id,
        f"<b>Chào</b> {payload}".strip(),
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    await context.bot.send_message(
        update.effective_chat.id,
        "Menu",
        reply_markup=ReplyKeyboardMarkup([["Góp ý"]], resize_keyboard=True),
    )


async def on_vote(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query and query.data
    if not query.data.startswith("vote:"):
        await query.answer("Nút không hợp lệ", show_alert=True)
        return
    await query.answer(f"Đã ghi nhận: {query.data[5:]}")
    await query.edit_message_text(f"Bạn chọn {query.data[5:]}")


async def on_text(update: Update, context: Ctx) -> None:
    assert update.effective_message
    await update.effective_message.reply_text(f"Nhận: {update.effective_message.text}")


def setup(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_vote))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))


async def test_command_buttons_and_reply_keyboard(
    sandbox: SandboxServer, make_app: AppFactory
) -> None:
    await make_app(setup)
    lan = sandbox.user(1001)
    await lan.start("thon-3")
    hello = await lan.next_message()
    assert hello.text == "Chào thon-3" and hello.parse_mode == "HTML"
    assert hello.buttons == [[("👍 Đồng ý", "vote:yes"), ("Không", "vote:no")]]
    menu = await lan.next_message()
    assert menu.reply_keyboard == [["Góp ý"]] and lan.reply_keyboard == [["Góp ý"]]

    answer = await lan.press("Đồng ý")  # substring match
    assert answer.text == "Đã ghi nhận: yes" and not answer.show_alert
    edited = await lan.wait_for(contains="Bạn chọn yes")
    assert edited.message_id == hello.message_id and edited.edit_count == 1 and edited.buttons == []

    forged = await lan.press_data(hello, "admin:delete_all")
    assert forged is not None and forged.show_alert and forged.text == "Nút không hợp lệ"

    await lan.press_reply("Góp ý")
    reply = await lan.next_message()
    assert reply.text == "Nhận: Góp ý"

    with pytest.raises(
        AssertionError, match=r"no new bot message within 0\.2s in chat 1001; bot messages:"
    ):
        await lan.next_message(timeout=0.2)
    with pytest.raises(AssertionError, match="no inline button 'Xoá'"):
        await lan.press("Xoá")


async def test_group_and_blocking(sandbox: SandboxServer, make_app: AppFactory) -> None:
    app = await make_app(setup)
    group = sandbox.group(-1001234567890, title="Thôn 3")
    minh = sandbox.user(1002)
    await minh.send_in(group, "chào cả nhà")  # privacy mode: the bot does not see it
    await minh.send_in(group, "/start")
    refusal = await group.next_message()
    assert refusal.text == "Chỉ dùng trong chat riêng."
    assert minh.messages == []

    minh.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(1002, "tin tức")
    with pytest.raises(AssertionError, match="blocked the bot"):
        await minh.send("hi")
    minh.unblock()
    await minh.send("hi")
    assert (await minh.next_message()).text == "Nhận: hi"


async def test_media_from_user_reaches_handler(
    sandbox: SandboxServer, make_app: AppFactory
) -> None:
    received: list[str] = []

    async def on_media(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
        message = update.effective_message
        assert message
        if message.photo:
            file = await message.photo[-1].get_file()
            received.append(f"photo:{len(await file.download_as_bytearray())}")
        elif message.location:
            received.append(f"loc:{message.location.latitude}")
        elif message.contact:
            received.append(f"contact:{message.contact.user_id}")
        elif message.forward_origin:
            received.append(f"fwd:{message.forward_origin.type}")
        elif message.document:
            received.append(f"doc:{message.document.file_name}")
        await message.reply_text("ok")

    await make_app(lambda app: app.add_handler(MessageHandler(~filters.COMMAND, on_media)))
    lan = sandbox.user(1001)
    photo = await lan.send_photo(caption="ổ gà")
    await lan.next_message()
    await lan.send_location(21.5, 105.1)
    await lan.next_message()
    await lan.send_contact()
    await lan.next_message()
    await lan.forward("tin đồn", origin="hidden_user")
    await lan.next_message()
    await lan.send_document(b"abc", "don.docx", "application/msword")
    await lan.next_message()
    size = len(sandbox.state.files.by_id[photo.file_ids[-1]].data or b"")
    assert received == [
        f"photo:{size}",
        "loc:21.5",
        "contact:1001",
        "fwd:hidden_user",
        "doc:don.docx",
    ]
