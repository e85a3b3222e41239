"""`/answers` (công khai trả lời): citizens browse the public answers by topic, page by page."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _
from bot.messaging.messages import OutgoingMessage
from bot.public_answers.actions import AnswersBack, AnswersEntry, AnswersPage, AnswersTopics
from bot.public_answers.views import entry_text, page_message, topics_message
from handlers.telegram import commands, router
from handlers.telegram.channel import inline_markup
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    services,
)
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer


def browse_markup() -> InlineKeyboardMarkup:
    """The button that opens the public answers, e.g. under /stats."""
    return InlineKeyboardMarkup([[button(_("📖 Public answers by topic"), AnswersTopics())]])


async def _topics(context: Context) -> OutgoingMessage:
    svc = services(context)
    return topics_message(await svc.public_answers.topics(), svc.settings.commune_name)


async def answers(update: Update, context: Context) -> None:
    """Show the topics that have public answers, with their counts."""
    shown = await _topics(context)
    await reply(message_of(update), shown.text, inline_markup(shown.buttons))


async def on_topics(
    update: Update, context: Context, action: AnswersTopics | AnswersBack
) -> Answer | None:
    """Show the topics: a new message from /stats, in place of a page from "↩️ Topics"."""
    await _show(update, context, await _topics(context), new=isinstance(action, AnswersTopics))
    return None


async def on_page(update: Update, context: Context, action: AnswersPage) -> Answer | None:
    """Turn the page, or pick a topic."""
    svc = services(context)
    page = await svc.public_answers.page(action.topic, action.page)
    # All of a topic's answers withdrawn since the button was sent: back to the topics.
    shown = page_message(action.topic, page, svc.settings) if page.total else await _topics(context)
    await _show(update, context, shown, new=False)
    return None


async def on_entry(update: Update, context: Context, action: AnswersEntry) -> Answer | None:
    """Open one answer in full, in a new message: the page stays."""
    svc = services(context)
    entry = await svc.public_answers.public_entry(action.entry_id)
    text = entry_text(entry, svc.settings) if entry else _("This answer is no longer public.")
    await _show(update, context, OutgoingMessage(text), new=True)
    return None


async def _show(update: Update, context: Context, shown: OutgoingMessage, new: bool) -> None:
    markup = inline_markup(shown.buttons)
    if new:
        await reply(message_of(update), shown.text, markup)
    else:
        await edit(update, context, shown.text, markup)


def register(application: TelegramApp) -> None:
    commands.declare("answers", N_("Public answers to feedback and petitions"), order=72)
    application.add_handler(CommandHandler("answers", answers, filters.ChatType.PRIVATE))
    router.route(application, AnswersTopics, on_topics)
    router.route(application, AnswersBack, on_topics)
    router.route(application, AnswersPage, on_page)
    router.route(application, AnswersEntry, on_entry)
