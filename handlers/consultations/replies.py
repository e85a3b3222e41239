"""Send and edit the consultation screens as HTML: their texts escape every stored value."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from handlers.telegram.common import Context
from handlers.telegram.replies import edit


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def show(
    update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message (a new one where the channel cannot edit), within limits."""
    await edit(update, context, text, markup, html=True)
