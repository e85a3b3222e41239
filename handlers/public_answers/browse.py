"""`/answers` (công khai trả lời): citizens browse the public answers by topic, page by page."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.cases.model import Topic
from bot.core.i18n import N_, _
from bot.messaging.messages import OutgoingMessage
from bot.public_answers.views import BROWSE, entry_text, page_message, topics_message
from handlers.cases.common import parse_int
from handlers.telegram import commands
from handlers.telegram.channel import inline_markup
from handlers.telegram.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    services,
)
from handlers.telegram.replies import edit


def browse_markup() -> InlineKeyboardMarkup:
    """The button that opens the public answers, e.g. under /stats."""
    button = InlineKeyboardButton(_("📖 Public answers by topic"), callback_data=f"{BROWSE}:top")
    return InlineKeyboardMarkup([[button]])


async def _topics(context: Context) -> OutgoingMessage:
    svc = services(context)
    return topics_message(await svc.public_answers.topics(), svc.settings.commune_name)


async def answers(update: Update, context: Context) -> None:
    """Show the topics that have public answers, with their counts."""
    shown = await _topics(context)
    await message_of(update).reply_text(shown.text, reply_markup=inline_markup(shown.buttons))


async def _shown(update: Update, context: Context) -> OutgoingMessage | None:
    """What the pressed button asks for; None for data no button of ours holds."""
    svc = services(context)
    action, arg = callback_arg(update, 1), callback_arg(update, 2)
    if action in ("top", "back"):
        return await _topics(context)
    if action == "t" and arg in Topic.__members__.values():
        page = await svc.public_answers.page(Topic(arg), parse_int(callback_arg(update, 3)) or 0)
        # All of a topic's answers withdrawn since the button was sent: back to the topics.
        return (
            page_message(Topic(arg), page, svc.settings) if page.total else await _topics(context)
        )
    entry_id = parse_int(arg)
    if action == "e" and entry_id is not None:
        entry = await svc.public_answers.public_entry(entry_id)
        text = entry_text(entry, svc.settings) if entry else _("This answer is no longer public.")
        return OutgoingMessage(text)
    return None


async def on_button(update: Update, context: Context) -> None:
    """Turn the page, pick a topic, or open one answer in full."""
    query = query_of(update)
    shown = await _shown(update, context)
    if shown is None:
        await query.answer(_("This button is out of date."), show_alert=True)
        return
    action = callback_arg(update, 1)
    markup = inline_markup(shown.buttons)
    if action in ("top", "e"):  # from /stats or a page: a new message, the old one stays
        await message_of(update).reply_text(shown.text, reply_markup=markup)
    else:
        await edit(query, shown.text, markup)
    await query.answer()


def register(application: TelegramApp) -> None:
    commands.declare("answers", N_("Public answers to feedback and petitions"), order=72)
    application.add_handler(CommandHandler("answers", answers, filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{BROWSE}:"))
