"""Changing a message already sent, the one place that does: a new message where the channel cannot edit.

Each helper reads the receiving application's `ChannelSpec`; a flow that
would edit sends the new content as a new message instead, and one that
would only take buttons away does nothing (the handlers already refuse a
second press by their own state). Telegram's harmless refusals are ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Bot, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.messaging.channels import ChannelSpec
from handlers.telegram.common import Context, channel_of, query_of


async def edit(
    update: Update,
    context: Context,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    html: bool = False,
    instead: str | None = None,
) -> None:
    """Replace the text and buttons of the message a button was pressed on.

    Where the channel cannot edit, `instead` (default: `text`) and the
    buttons come as a new message. A second press of the same button asks
    for the same content, which Telegram refuses with "message is not
    modified": that is no error here.
    """
    mode = ParseMode.HTML if html else None
    if channel_of(context.application).can_edit:
        query = query_of(update)
        await _tolerant(query.edit_message_text(text, reply_markup=markup, parse_mode=mode))
        return
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update has no chat")
    await context.bot.send_message(chat.id, instead or text, reply_markup=markup, parse_mode=mode)


async def rewrite(context: Context, message: Message, text: str) -> None:
    """Replace the text of a message the bot sent earlier in this update (a "please wait")."""
    if channel_of(context.application).can_edit:
        await _tolerant(message.edit_text(text))
    else:
        await context.bot.send_message(message.chat_id, text)


async def drop_buttons(update: Update, context: Context) -> None:
    """Take the buttons off the pressed message, so it cannot be pressed twice."""
    if channel_of(context.application).can_edit:
        await _tolerant(query_of(update).edit_message_reply_markup(None))


async def show_progress(
    bot: Bot, channel: ChannelSpec, chat_id: int, message_id: int, text: str
) -> None:
    """Update a progress note from outside any update (the outbox sender's report).

    Nothing where the channel cannot edit: the end is reported in a new
    message anyway. A refusal other than "not modified" is raised.
    """
    if channel.can_edit:
        await _tolerant(bot.edit_message_text(text, chat_id=chat_id, message_id=message_id))


async def _tolerant(edit: Awaitable[object]) -> None:
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
