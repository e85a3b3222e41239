"""The web chat page in headless Chromium: an alert or toast shows once, never on reopening."""

from __future__ import annotations

import json
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from sandbox import SandboxServer
from tests.browser import Page, chromium

from .conftest import AppFactory

STALE = "Lựa chọn này đã cũ."
NOTED = "Đã ghi nhận"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    buttons = [
        [InlineKeyboardButton("Nút cũ", callback_data="old")],
        [InlineKeyboardButton("Ghi nhận", callback_data="ok")],
    ]
    await update.effective_message.reply_text(
        "Chọn một nút", reply_markup=InlineKeyboardMarkup(buttons)
    )
    await update.effective_message.reply_text(
        "Menu", reply_markup=ReplyKeyboardMarkup([["Góp ý"]], resize_keyboard=True)
    )


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The stale button answers with an alert, as the bot's out-of-date buttons do."""
    query = update.callback_query
    assert query is not None
    if query.data == "old":
        await query.answer(STALE, show_alert=True)
    else:
        await query.answer(NOTED)


def setup(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_press))


def js(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


async def press(page: Page, label: str) -> None:
    await page.evaluate(
        f"[...document.querySelectorAll('.ikb button')].find((b) => b.textContent === {js(label)})"
        ".click()"
    )


async def open_persona(page: Page, name: str) -> None:
    await page.evaluate(
        "[...document.querySelectorAll('#personas .who')]"
        f".find((b) => b.querySelector('.name').textContent.includes({js(name)})).click()"
    )
    await page.wait_for(f"document.getElementById('title').textContent.includes({js(name)})", name)


MODAL_SHOWN = "!document.getElementById('modal').hidden"
TOAST_SHOWN = "!document.getElementById('toast').hidden"


async def history_without_alerts(page: Page, messages: int) -> None:
    """The chat's messages are all back, and nothing old popped up with them."""
    # The page applies a batch of events in one go: once every message is back,
    # every old alert and toast in the batch would be showing too.
    await page.wait_for(
        f"document.querySelectorAll('#log .msg').length === {messages}", f"{messages} messages"
    )
    shown = await page.evaluate(
        f"({{modal: {MODAL_SHOWN}, toast: {TOAST_SHOWN},"
        " typing: document.getElementById('typing').textContent})"
    )
    assert shown == {"modal": False, "toast": False, "typing": ""}


async def test_alerts_show_once_and_a_reopened_chat_shows_history(
    sandbox: SandboxServer, make_app: AppFactory, tmp_path: Path
) -> None:
    await make_app(setup)
    async with chromium(tmp_path / "profile") as page:
        await page.open(sandbox.root_url + "/")
        await page.wait_for("document.querySelector('#personas .who.active')", "the open chat")
        await page.evaluate(
            "document.getElementById('text').value = '/start';"
            " document.getElementById('send').click()"
        )
        await page.wait_for(
            "[...document.querySelectorAll('.ikb button')].some((b) => b.textContent === 'Nút cũ')",
            "the bot's buttons",
        )
        await press(page, "Nút cũ")
        text = await page.wait_for(
            f"{MODAL_SHOWN} && document.getElementById('modaltext').textContent", "the alert"
        )
        assert text == STALE
        await page.screenshot(tmp_path / "webchat-alert-live.png")
        await page.evaluate("document.getElementById('modal').click()")  # beside the box
        await page.wait_for("document.getElementById('modal').hidden", "the alert closed")

        await press(page, "Ghi nhận")
        assert (
            await page.wait_for(
                f"{TOAST_SHOWN} && document.getElementById('toast').textContent", "the toast"
            )
            == NOTED
        )
        await page.wait_for("document.getElementById('toast').hidden", "the toast gone")
        messages = len(sandbox.state.chats[1001].messages)
        answers = [e for e in sandbox.state.chats[1001].events if e[0] == "callback_answer"]
        assert len(answers) == 2  # both answers are in the chat's events, to be replayed

        await open_persona(page, "Minh")
        await open_persona(page, "Lan")
        await history_without_alerts(page, messages)
        await page.call("Page.reload")
        await page.wait_for("document.querySelector('#personas .who.active')", "the page again")
        await history_without_alerts(page, messages)
        await page.screenshot(tmp_path / "webchat-reopened.png")

        await press(page, "Nút cũ")  # a new answer is news: it shows, once
        assert (
            await page.wait_for(
                f"{MODAL_SHOWN} && document.getElementById('modaltext').textContent", "a new alert"
            )
            == STALE
        )
