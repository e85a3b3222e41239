"""Small reply helpers that tolerate Telegram's harmless refusals and keep to its limits.

Texts are the domain's markup (a `Markup` value) or plain text shown as
typed (any other `str`); both go out as Telegram HTML, split or cut where
Telegram's limits need it (`handlers.telegram.render`).
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.telegram import render


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text and buttons of the message a button was pressed on.

    A second press of the same button asks for the same content, which
    Telegram refuses with "message is not modified": that is no error here.
    A text too long for one message is cut there with "…" (the buttons stay
    on it) and the rest follows in new messages, so all of it can be read.
    """
    head, rest = render.fitted(text)
    try:
        await query.edit_message_text(head, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
    if rest and query.message is not None:
        for part in rest:
            await query.get_bot().send_message(
                query.message.chat.id, part, parse_mode=ParseMode.HTML
            )


async def reply(
    message: Message,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None,
) -> Message:
    """Answer in as many messages as the text needs; the keyboard goes under the last."""
    parts = render.texts(text)
    sent = message
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await message.reply_text(
            part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )
    return sent
