"""Changing or answering a message, the one place that does: within Telegram's limits, and a
new message where the channel cannot edit.

Texts are the domain's markup (a `Markup` value) or plain text shown as
typed (any other `str`, or markup when `html=True`); both go out as Telegram
HTML, split or cut where Telegram's limits need it (`handlers.telegram.render`).
Each helper reads the receiving application's `ChannelSpec`: a flow that
would edit sends the new content as a new message instead, and one that
would only take buttons away does nothing (the handlers already refuse a
second press by their own state). Telegram's harmless refusals are ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.messaging.channels import ChannelSpec
from handlers.telegram import render
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
    modified": that is no error here. A text too long for one message is cut
    there with "…" (the buttons stay on it) and the rest follows in new
    messages, so all of it can be read.
    """
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update has no chat")
    if not channel_of(context.application).can_edit:
        await send(context.bot, chat.id, instead or text, markup, html=html)
        return
    head, rest = render.fitted(text, html)
    query = query_of(update)
    await _tolerant(query.edit_message_text(head, reply_markup=markup, parse_mode=ParseMode.HTML))
    for part in rest:
        await context.bot.send_message(chat.id, part, parse_mode=ParseMode.HTML)


async def send(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None,
    *,
    html: bool = False,
) -> Message | None:
    """Send in as many messages as the text needs; the keyboard goes under the last."""
    parts = render.texts(text, html)
    sent = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )
    return sent


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


async def rewrite(context: Context, message: Message, text: str) -> None:
    """Replace the text of a message the bot sent earlier in this update (a "please wait")."""
    if channel_of(context.application).can_edit:
        head, _rest = render.fitted(text)
        await _tolerant(message.edit_text(head, parse_mode=ParseMode.HTML))
    else:
        await send(context.bot, message.chat_id, text)


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
        head, _rest = render.fitted(text)
        await _tolerant(
            bot.edit_message_text(
                head, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML
            )
        )


async def _tolerant(edit: Awaitable[object]) -> None:
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
