"""Officers make an answer to feedback or a petition public, after a preview, or withdraw it.

The "🌐 Make public" button under the "answer sent" confirmation names the
case and the answer event only; the service checks the officer's role and
reads the texts from the case log at every press (`bot.public_answers`).
Preview buttons name the preview's revision, so an older preview publishes
nothing: what is published is what the officer last saw.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.cases.core import CaseError
from bot.cases.model import Case
from bot.core.i18n import N_, _
from bot.messaging.messages import OutgoingMessage
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from bot.public_answers.service import OUT_OF_DATE
from bot.public_answers.views import OFFICER, officer_page, preview, published
from handlers.cases.common import InFlow, error_text, parse_int
from handlers.telegram import commands
from handlers.telegram.channel import inline_markup
from handlers.telegram.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    sender,
    services,
)
from handlers.telegram.guard import officer_only, refuse
from handlers.telegram.replies import edit

FLOW = "public"  # the officer is typing a summary of their own
Press = Callable[[Update, Context, int, int], Awaitable[str]]


async def publish_offer(context: Context, case: Case) -> InlineKeyboardMarkup | None:
    """The button under the "answer sent" confirmation, for feedback and petitions only."""
    answer = await services(context).public_answers.offerable(case)
    if answer is None:
        return None
    data = f"{OFFICER}:pre:{case.id}:{answer.id}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(_("🌐 Make public"), callback_data=data)]])


async def _reply(update: Update, shown: OutgoingMessage) -> None:
    await message_of(update).reply_text(shown.text, reply_markup=inline_markup(shown.buttons))


async def show_preview(update: Update, context: Context, case_id: int, answer_id: int) -> str:
    svc = services(context)
    await _reply(
        update,
        preview(await svc.public_answers.prepare(sender(update), case_id, answer_id), svc.settings),
    )
    return ""


async def confirm(update: Update, context: Context, entry_id: int, revision: int) -> str:
    svc = services(context)
    entry = await svc.public_answers.publish(sender(update), entry_id, revision)
    if svc.cases.drafts.flow_of(sender(update)) == FLOW:  # no summary is awaited any more
        await svc.cases.drafts.clear(sender(update))
    await edit(query_of(update), published(entry, svc.settings))
    return _("Published.")


async def ask_summary(update: Update, context: Context, entry_id: int, _revision: int) -> str:
    svc = services(context)
    await svc.public_answers.check_preview(sender(update), entry_id)
    await svc.cases.drafts.put(sender(update), FLOW, {"entry": entry_id})
    await message_of(update).reply_text(
        _("Type the summary of the citizen's question as citizens should read it (or /cancel):")
    )
    return ""


async def cancel(update: Update, context: Context, entry_id: int, _revision: int) -> str:
    await services(context).public_answers.cancel(sender(update), entry_id)
    await edit(query_of(update), _("Cancelled: nothing was made public."))
    return ""


async def withdraw(update: Update, context: Context, entry_id: int, page: int) -> str:
    svc = services(context)
    await svc.public_answers.withdraw(sender(update), entry_id)
    await show_list(update, context, page, 0)
    return _("Withdrawn: citizens no longer see it.")


async def show_list(update: Update, context: Context, page: int, _unused: int) -> str:
    svc = services(context)
    shown = officer_page(await svc.public_answers.officer_page(sender(update), page), svc.settings)
    await edit(query_of(update), shown.text, inline_markup(shown.buttons))
    return ""


PRESSES: dict[str, Press] = {
    "pre": show_preview,
    "ok": confirm,
    "edit": ask_summary,
    "no": cancel,
    "wd": withdraw,
    "list": show_list,
}


async def on_button(update: Update, context: Context) -> None:
    """Run an officer's press on a public-answer button, or refuse it."""
    query = query_of(update)
    press = PRESSES.get(callback_arg(update, 1))
    first, second = parse_int(callback_arg(update, 2)), parse_int(callback_arg(update, 3))
    try:
        if press is None or first is None or (second is None and press is not show_list):
            raise CaseError(OUT_OF_DATE)
        toast = await press(update, context, first, second or 0)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await query.answer(error_text(exc), show_alert=True)
        return
    await query.answer(toast or None)


async def on_summary(update: Update, context: Context) -> None:
    """Take the officer's own summary and show the new preview."""
    svc, who, message = services(context), sender(update), message_of(update)
    data = await svc.cases.drafts.get(who, FLOW)
    text = (message.text or "").strip()
    if data is None:
        return
    if not text:
        await message.reply_text(_("Please type the text, or send /cancel."))
        return
    await svc.cases.drafts.clear(who)
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
    page = await svc.public_answers.officer_page(sender(update), 0)
    await _reply(update, officer_page(page, svc.settings))


def register(application: TelegramApp) -> None:
    commands.declare("public", N_("Public answers: review or withdraw"), *Role, order=125)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("public", public_list, private))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{OFFICER}:"))
    application.add_handler(MessageHandler(private & InFlow(application, FLOW), on_summary))
