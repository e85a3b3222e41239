"""Free text from a citizen is a question: answer it from the FAQ, or offer the officers.

Registered just before `menu` and `fallback`: conversations of other features
and commands get the text first, and menu-button labels are left to `menu`.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot.core.i18n import _, current_language
from bot.faq.actions import (
    FaqConfirmSend,
    FaqHelpful,
    FaqNotHelpful,
    FaqPick,
    FaqSendToOfficers,
    FaqSkip,
)
from bot.faq.desk import DeskRefused
from handlers.faq import officers as faq_officers
from handlers.faq.views import answer_view, offer_view, reply_view, send_preview, sent_text
from handlers.telegram import menu, replies, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.replies import drop_buttons, edit
from handlers.telegram.router import Answer

SEND_FLOW = "faq-send"  # a question shown before it goes to the officers, detail being added
MAX_DETAIL = 2000


class _NotMenuLabel(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return menu.item_for_text(message.text or "") is None


async def on_question(update: Update, context: Context) -> None:
    """Match the citizen's text against the FAQ and reply by how sure the match is."""
    svc, who = services(context), recipient_of(update, context)
    citizen = await svc.citizens.get(who)
    # An entry an officer published for one village is offered there only.
    village = citizen.village_id if citizen else None
    faq = svc.faq
    reply = await faq.ask(message_of(update).text or "", who, village=village)
    text, keyboard = reply_view(reply, faq.answer_within_days)
    await replies.reply(message_of(update), text, keyboard)


async def on_feedback(
    update: Update, context: Context, action: FaqHelpful | FaqNotHelpful
) -> Answer | None:
    """Record whether the answer helped; when it did not, offer the officers."""
    faq, helpful = services(context).faq, isinstance(action, FaqHelpful)
    if not await faq.feedback(action.query_id, recipient_of(update, context), helpful=helpful):
        return Answer(_("This choice is out of date."), alert=True)
    await drop_buttons(update, context)
    if helpful:
        return Answer(_("Thank you! Glad it helped."))
    text, keyboard = offer_view(action.query_id, faq.answer_within_days, _("Sorry about that."))
    await message_of(update).reply_text(text, reply_markup=keyboard)
    return None


async def on_pick(update: Update, context: Context, action: FaqPick) -> Answer | None:
    """Show the answer the citizen picked among the choices."""
    entry = await services(context).faq.choose(
        action.query_id, recipient_of(update, context), action.entry_id
    )
    if entry is None:
        return Answer(_("This choice is out of date."), alert=True)
    await edit(update, context, *answer_view(action.query_id, entry))
    return None


async def on_send(update: Update, context: Context, action: FaqSendToOfficers) -> Answer | None:
    """Show what would be sent; the citizen may type more detail before sending."""
    svc, who = services(context), recipient_of(update, context)
    question = await svc.faq.unsent(action.query_id, who)
    if question is None:
        return Answer(_("This question was already sent."), alert=True)
    await svc.conversations.put(who, SEND_FLOW, {"query": action.query_id, "detail": ""})
    await edit(update, context, *send_preview(action.query_id, question, ""))
    return None


async def on_detail(update: Update, context: Context) -> None:
    """Add what the citizen typed to the question waiting to be sent."""
    svc, who, message = services(context), recipient_of(update, context), message_of(update)
    data = await svc.conversations.get(who, SEND_FLOW)
    if data is None:
        return
    words = (message.text or "").strip()
    question = await svc.faq.unsent(int(data["query"]), who)
    if question is None:
        await svc.conversations.clear(who, SEND_FLOW)
        await replies.reply(message, _("This question was already sent."))
        return
    if not words:
        await replies.reply(message, _("Please type the detail in words, or choose Send."))
        return
    data["detail"] = f"{data['detail']}\n{words}".strip()[:MAX_DETAIL]
    await svc.conversations.put(who, SEND_FLOW, data)
    text, keyboard = send_preview(int(data["query"]), question, data["detail"])
    await replies.reply(message, text, keyboard)


async def on_confirm(update: Update, context: Context, action: FaqConfirmSend) -> Answer | None:
    """Hand the question and its detail to the officers; a refusal is said plainly."""
    svc, who = services(context), recipient_of(update, context)
    data = await svc.conversations.get(who, SEND_FLOW)
    detail = data["detail"] if data and data.get("query") == action.query_id else ""
    try:
        receipt = await svc.faq.send_to_officers(action.query_id, who, current_language(), detail)
    except DeskRefused as refused:
        await edit(update, context, _(refused.reason))
        return None
    finally:
        if data is not None:
            await svc.conversations.clear(who, SEND_FLOW)
    if receipt is None:
        return Answer(_("This question was already sent."), alert=True)
    await edit(update, context, sent_text(receipt))
    return None


async def on_skip(update: Update, context: Context, action: FaqSkip) -> Answer | None:
    svc, who = services(context), recipient_of(update, context)
    if svc.conversations.flow_of(who) == SEND_FLOW:
        await svc.conversations.clear(who, SEND_FLOW)
    await drop_buttons(update, context)
    return None


def register(application: TelegramApp) -> None:
    faq_officers.register(application)
    questions = (
        filters.ChatType.PRIVATE
        & filters.TEXT
        & ~filters.COMMAND
        & ~filters.FORWARDED
        & _NotMenuLabel()
    )
    # Before the FAQ's own handler: while a question waits to be sent, text is its detail.
    application.add_handler(MessageHandler(questions & InFlow(application, SEND_FLOW), on_detail))
    application.add_handler(MessageHandler(questions, on_question))
    router.route(application, FaqHelpful, on_feedback)
    router.route(application, FaqNotHelpful, on_feedback)
    router.route(application, FaqPick, on_pick)
    router.route(application, FaqSendToOfficers, on_send)
    router.route(application, FaqConfirmSend, on_confirm)
    router.route(application, FaqSkip, on_skip)
