"""Small reply helpers that tolerate Telegram's harmless refusals."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the text and buttons of the message a button was pressed on.

    A second press of the same button asks for the same content, which
    Telegram refuses with "message is not modified": that is no error here.
    """
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
