"""Send and edit the consultation screens as HTML: their texts escape every stored value."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message; a second press of the same button changes nothing."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
