"""`/track CODE`: a citizen follows a case, adds information, rates it or reopens it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cases.actions import (
    TrackAction,
    TrackAddInfo,
    TrackClear,
    TrackPetitionForm,
    TrackRate,
    TrackReceptionDay,
    TrackReopen,
    TrackSendInfo,
    TrackShow,
    TrackSkipComment,
    TrackUnclear,
)
from bot.cases.codes import parse_code
from bot.cases.core import CaseError
from bot.cases.drafts import TRACK
from bot.cases.model import Case
from bot.cases.notices import citizen_view, kind_name
from bot.core.i18n import N_, _
from bot.services import Services
from handlers.cases import track_steps as steps
from handlers.cases.common import error_text
from handlers.telegram import commands, menu, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.keyboards import button
from handlers.telegram.replies import reply
from handlers.telegram.router import Answer

Step = Callable[[Update, Context, Case], Awaitable[str]]


def track_buttons(case: Case, can_reopen: bool) -> InlineKeyboardMarkup | None:
    """What the citizen can do with the case now."""
    rows: list[list[InlineKeyboardButton]] = []
    if case.status.open:
        rows.append([button(_("➕ Add information"), TrackAddInfo(case.id))])
    if not case.status.open and case.rating is None:
        stars = [button("⭐" * n, TrackRate(case.id, n)) for n in range(1, 6)]
        rows += [stars[:3], stars[3:]]
    if can_reopen:
        rows.append([button(_("🔁 Not satisfied: reopen"), TrackReopen(case.id))])
    if case.kind.formal:
        rows.append(
            [
                button(_("📄 Petition form"), TrackPetitionForm(case.id)),
                button(_("📅 Reception day"), TrackReceptionDay(case.id)),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


async def send_view(message: Message, svc: Services, case: Case) -> None:
    events = await svc.cases.repo.events(case.id)
    text = citizen_view(case, events, svc.settings, svc.cases.today(), svc.settings.timezone)
    await reply(message, text, track_buttons(case, svc.cases.can_reopen(case)))


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
        case = await svc.cases.own_by_code(recipient_of(update, context), code)
    except CaseError as exc:
        await message.reply_text(error_text(exc))
        return
    await send_view(message, svc, case)


async def list_mine(update: Update, context: Context) -> None:
    """The citizen's cases, newest first, each a button."""
    cases = await services(context).cases.my_cases(recipient_of(update, context))
    if not cases:
        await message_of(update).reply_text(_("You have not sent anything yet. Send /feedback."))
        return
    buttons = [[button(f"{c.code} · {kind_name(c.kind)}", TrackShow(c.id))] for c in cases[:10]]
    await message_of(update).reply_text(
        _("Your cases:"), reply_markup=InlineKeyboardMarkup(buttons)
    )


async def show(update: Update, context: Context, case: Case) -> str:
    await send_view(message_of(update), services(context), case)
    return ""


ACTIONS: dict[type[TrackAction], Step] = {
    TrackShow: show,
    TrackAddInfo: steps.start_add,
    TrackSendInfo: steps.send_info,
    TrackSkipComment: steps.skip_comment,
    TrackReopen: steps.start_reopen,
    TrackPetitionForm: steps.petition,
    TrackReceptionDay: steps.reception,
    TrackClear: steps.clear,
    TrackUnclear: steps.unclear,
}


async def on_button(update: Update, context: Context, action: TrackAction) -> Answer | None:
    """Do what the citizen pressed, on their own case only."""
    case = await services(context).cases.own(recipient_of(update, context), action.case_id)
    return Answer(await ACTIONS[type(action)](update, context, case) or None)


async def on_rate(update: Update, context: Context, action: TrackRate) -> Answer | None:
    """Rate the citizen's own closed case."""
    case = await services(context).cases.own(recipient_of(update, context), action.case_id)
    return Answer(await steps.rate(update, context, case, action.stars))


def register(application: TelegramApp) -> None:
    commands.declare("track", N_("Follow a case by its code: /track CODE"), order=31)
    menu.add(menu.MenuItem("track", N_("🔎 My cases"), list_mine, order=31))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("track", track, private))
    for action in ACTIONS:
        router.route(application, action, on_button)
    router.route(application, TrackRate, on_rate)
    application.add_handler(MessageHandler(private & InFlow(application, TRACK), steps.on_message))
