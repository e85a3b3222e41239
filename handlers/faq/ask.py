"""Free text from a citizen is a question: answer it from the FAQ, or offer the officers.

Registered just before `menu` and `fallback`: conversations of other features
and commands get the text first, and menu-button labels are left to `menu`.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.core.i18n import _, current_language
from bot.faq.desk import DeskRefused
from handlers.faq import officers as faq_officers
from handlers.faq.views import PREFIX, answer_view, offer_view, reply_view, sent_text
from handlers.telegram import menu
from handlers.telegram.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    sender,
    services,
)
from handlers.telegram.replies import edit


class _NotMenuLabel(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return menu.item_for_text(message.text or "") is None


async def on_question(update: Update, context: Context) -> None:
    """Match the citizen's text against the FAQ and reply by how sure the match is."""
    faq = services(context).faq
    reply = await faq.ask(message_of(update).text or "", sender(update))
    text, keyboard = reply_view(reply, faq.answer_within_days)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_button(update: Update, context: Context) -> None:
    """Record feedback, show a picked answer, or send the question to the officers."""
    faq, query, who = services(context).faq, query_of(update), sender(update)
    action, query_id = callback_arg(update, 1), int(callback_arg(update, 2) or 0)
    if action in ("ok", "no"):
        if not await faq.feedback(query_id, who, helpful=action == "ok"):
            await query.answer(_("This button is out of date."), show_alert=True)
            return
        await query.edit_message_reply_markup(None)
        if action == "ok":
            await query.answer(_("Thank you! Glad it helped."))
            return
        text, keyboard = offer_view(query_id, faq.answer_within_days, _("Sorry about that."))
        await message_of(update).reply_text(text, reply_markup=keyboard)
    elif action == "pick":
        entry = await faq.choose(query_id, who, int(callback_arg(update, 3) or 0))
        if entry is None:
            await query.answer(_("This button is out of date."), show_alert=True)
            return
        await edit(query, *answer_view(query_id, entry))
    elif action == "send":
        await send_on(update, context, query_id)
        return
    elif action == "skip":
        await query.edit_message_reply_markup(None)
    await query.answer()


async def send_on(update: Update, context: Context, query_id: int) -> None:
    """Hand the question to the officers; a refusal (daily limit) is said plainly."""
    faq, query = services(context).faq, query_of(update)
    try:
        receipt = await faq.send_to_officers(query_id, sender(update), current_language())
    except DeskRefused as refused:
        await edit(query, _(refused.reason))
        await query.answer()
        return
    if receipt is None:
        await query.answer(_("This question was already sent."), show_alert=True)
        return
    await edit(query, sent_text(receipt))
    await query.answer()


def register(application: TelegramApp) -> None:
    faq_officers.register(application)
    questions = (
        filters.ChatType.PRIVATE
        & filters.TEXT
        & ~filters.COMMAND
        & ~filters.FORWARDED
        & _NotMenuLabel()
    )
    application.add_handler(MessageHandler(questions, on_question))
    application.add_handler(
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:(ok|no|pick|send|skip):")
    )
