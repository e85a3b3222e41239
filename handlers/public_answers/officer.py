"""Officers make an answer to feedback or a petition public, after a preview, or withdraw it.

The "🌐 Make public" button under the "answer sent" confirmation names the
case and the answer event only; the service checks the officer's role and
reads the texts from the case log at every press (`bot.public_answers`).
Preview buttons name the preview's revision, so an older preview publishes
nothing: what is published is what the officer last saw.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cases.core import CaseError
from bot.cases.model import Case
from bot.core.i18n import N_, _
from bot.messaging.messages import OutgoingMessage
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from bot.public_answers.actions import (
    PublicCancel,
    PublicConfirm,
    PublicList,
    PublicPreview,
    PublicRewrite,
    PublicWithdraw,
)
from bot.public_answers.views import officer_page, preview, published
from handlers.cases.common import error_text
from handlers.telegram import commands, router
from handlers.telegram.channel import inline_markup
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.guard import officer_only, refuse
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

FLOW = "public"  # the officer is typing a summary of their own


async def publish_offer(context: Context, case: Case) -> InlineKeyboardMarkup | None:
    """The button under the "answer sent" confirmation, for feedback and petitions only."""
    answer = await services(context).public_answers.offerable(case)
    if answer is None:
        return None
    action = PublicPreview(case.id, answer.id)
    return InlineKeyboardMarkup([[button(_("🌐 Make public"), action)]])


async def _reply(update: Update, shown: OutgoingMessage) -> None:
    await reply(message_of(update), shown.text, inline_markup(shown.buttons))


async def show_preview(update: Update, context: Context, action: PublicPreview) -> Answer | None:
    svc = services(context)
    entry = await svc.public_answers.prepare(
        recipient_of(update, context), action.case_id, action.answer_id
    )
    await _reply(update, preview(entry, svc.settings))
    return None


async def confirm(update: Update, context: Context, action: PublicConfirm) -> Answer | None:
    svc, who = services(context), recipient_of(update, context)
    entry = await svc.public_answers.publish(who, action.entry_id, action.revision)
    await svc.conversations.clear(who, FLOW)  # no summary is awaited any more
    await edit(update, context, published(entry, svc.settings))
    return Answer(_("Published."))


async def ask_summary(update: Update, context: Context, action: PublicRewrite) -> Answer | None:
    svc = services(context)
    await svc.public_answers.check_preview(recipient_of(update, context), action.entry_id)
    await svc.conversations.put(recipient_of(update, context), FLOW, {"entry": action.entry_id})
    await message_of(update).reply_text(
        _("Type the summary of the citizen's question as citizens should read it (or /cancel):")
    )
    return None


async def cancel(update: Update, context: Context, action: PublicCancel) -> Answer | None:
    await services(context).public_answers.cancel(recipient_of(update, context), action.entry_id)
    await edit(update, context, _("Cancelled: nothing was made public."))
    return None


async def withdraw(update: Update, context: Context, action: PublicWithdraw) -> Answer | None:
    svc = services(context)
    await svc.public_answers.withdraw(recipient_of(update, context), action.entry_id)
    await _show_list(update, context, action.page)
    return Answer(_("Withdrawn: citizens no longer see it."))


async def show_list(update: Update, context: Context, action: PublicList) -> Answer | None:
    await _show_list(update, context, action.page)
    return None


async def _show_list(update: Update, context: Context, page: int) -> None:
    svc = services(context)
    shown = officer_page(
        await svc.public_answers.officer_page(recipient_of(update, context), page), svc.settings
    )
    await edit(update, context, shown.text, inline_markup(shown.buttons))


async def on_summary(update: Update, context: Context) -> None:
    """Take the officer's own summary and show the new preview."""
    svc, who, message = services(context), recipient_of(update, context), message_of(update)
    data = await svc.conversations.get(who, FLOW)
    text = (message.text or "").strip()
    if data is None:
        return
    if not text:
        await message.reply_text(_("Please type the text, or send /cancel."))
        return
    await svc.conversations.clear(who)
    try:
        entry = await svc.public_answers.rewrite(who, int(data["entry"]), text)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await message.reply_text(error_text(exc))
        return
    await _reply(update, preview(entry, svc.settings))


@officer_only("command:public")
async def public_list(update: Update, context: Context, officer: Officer) -> None:
    """List the public answers, newest first, each with a button to withdraw it."""
    svc = services(context)
    page = await svc.public_answers.officer_page(recipient_of(update, context), 0)
    await _reply(update, officer_page(page, svc.settings))


def register(application: TelegramApp) -> None:
    commands.declare("public", N_("Public answers: review or withdraw"), *Role, order=125)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("public", public_list, private))
    router.route(application, PublicPreview, show_preview)
    router.route(application, PublicConfirm, confirm)
    router.route(application, PublicRewrite, ask_summary)
    router.route(application, PublicCancel, cancel)
    router.route(application, PublicWithdraw, withdraw)
    router.route(application, PublicList, show_list)
    application.add_handler(MessageHandler(private & InFlow(application, FLOW), on_summary))
