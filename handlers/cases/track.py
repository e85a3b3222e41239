"""`/track CODE`: a citizen follows a case, adds information, rates it or reopens it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.cases.codes import parse_code
from bot.cases.core import CaseError, WrongState
from bot.cases.drafts import TRACK
from bot.cases.model import Case
from bot.cases.notices import citizen_view, kind_name
from bot.core.i18n import N_, _
from bot.services import Services
from handlers.cases import track_steps as steps
from handlers.cases.common import InFlow, error_text, parse_int
from handlers.telegram import commands, menu
from handlers.telegram.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    sender,
    services,
)

PREFIX = "ctrk"
Action = Callable[[Update, Context, Case], Awaitable[str]]


def track_buttons(case: Case, can_reopen: bool) -> InlineKeyboardMarkup | None:
    """What the citizen can do with the case now."""
    rows: list[list[InlineKeyboardButton]] = []
    if case.status.open:
        rows.append([steps.button(_("➕ Add information"), "add", case)])
    if not case.status.open and case.rating is None:
        stars = [steps.button("⭐" * n, "rate", case, str(n)) for n in range(1, 6)]
        rows += [stars[:3], stars[3:]]
    if can_reopen:
        rows.append([steps.button(_("🔁 Not satisfied: reopen"), "reo", case)])
    if case.kind.formal:
        rows.append(
            [
                steps.button(_("📄 Petition form"), "form", case),
                steps.button(_("📅 Reception day"), "recv", case),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


async def send_view(message: Message, svc: Services, case: Case) -> None:
    events = await svc.cases.repo.events(case.id)
    text = citizen_view(case, events, svc.settings, svc.cases.today(), svc.settings.timezone)
    await message.reply_text(text, reply_markup=track_buttons(case, svc.cases.can_reopen(case)))


async def track(update: Update, context: Context) -> None:
    """Show a case by its code, or list the citizen's cases when no code is given."""
    svc = services(context)
    message = message_of(update)
    if not context.args:
        await list_mine(update, context)
        return
    code = parse_code(" ".join(context.args), svc.cases.config.code_prefix)
    if code is None:
        await message.reply_text(_("This code does not look right. It looks like PA-7KX45."))
        return
    try:
        case = await svc.cases.own_by_code(sender(update), code)
    except CaseError as exc:
        await message.reply_text(error_text(exc))
        return
    await send_view(message, svc, case)


async def list_mine(update: Update, context: Context) -> None:
    """The citizen's cases, newest first, each a button."""
    cases = await services(context).cases.my_cases(sender(update))
    if not cases:
        await message_of(update).reply_text(_("You have not sent anything yet. Send /feedback."))
        return
    buttons = [[steps.button(f"{c.code} · {kind_name(c.kind)}", "show", c)] for c in cases[:10]]
    await message_of(update).reply_text(
        _("Your cases:"), reply_markup=InlineKeyboardMarkup(buttons)
    )


async def show(update: Update, context: Context, case: Case) -> str:
    await send_view(message_of(update), services(context), case)
    return ""


ACTIONS: dict[str, Action] = {
    "show": show,
    "add": steps.start_add,
    "send": steps.send_info,
    "rate": steps.rate,
    "skip": steps.skip_comment,
    "reo": steps.start_reopen,
    "form": steps.petition,
    "recv": steps.reception,
}


async def on_button(update: Update, context: Context) -> None:
    """Do what the citizen pressed, on their own case only."""
    query = query_of(update)
    action, case_id = ACTIONS.get(callback_arg(update, 1)), parse_int(callback_arg(update, 2))
    try:
        if action is None or case_id is None:
            raise WrongState(OUT_OF_DATE)
        case = await services(context).cases.own(sender(update), case_id)
        toast = await action(update, context, case)
    except CaseError as exc:
        await query.answer(error_text(exc), show_alert=True)
        return
    await query.answer(toast or None)


OUT_OF_DATE = N_("This button is out of date.")


def register(application: TelegramApp) -> None:
    commands.declare("track", N_("Follow a case by its code: /track CODE"), order=31)
    menu.add(menu.MenuItem("track", N_("🔎 My cases"), list_mine, order=31))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("track", track, private))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    application.add_handler(MessageHandler(private & InFlow(application, TRACK), steps.on_message))
