"""Officers act on cases with the buttons of a case card; the service checks every press.

Actions that need words (ask, answer, transfer, resolve, reject) keep what the
officer types in a draft (SQLite) until it is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.cases.core import CaseError
from bot.cases.drafts import OFFICER
from bot.cases.model import Case
from bot.core.i18n import N_, _
from bot.people.access import PermissionDenied
from bot.people.officers import Officer
from handlers.cases import officer_reply as reply
from handlers.cases.common import InFlow, error_text, parse_int
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
from handlers.telegram.guard import refuse
from handlers.telegram.replies import edit

Action = Callable[[Update, Context, int], Awaitable[str]]
PROMPTS = {
    "ask": N_("Type your question for the citizen (or /cancel):"),
    "ans": N_(
        "Send the answer: text, and photos or documents if needed. Press Send when it is ready."
    ),
    "trf": N_("This is not the commune's competence: type where the citizen should go instead:"),
    "res": N_("Type a short note for the citizen on the outcome, or press the button:"),
    "rej": N_("Type the reason for rejecting, which the citizen will read:"),
}


async def show_card(update: Update, context: Context, case: Case, officer: Officer) -> None:
    """Replace the pressed card with the case as it stands now."""
    first = services(context).cases.officer_messages(case, officer)[0]
    await edit(query_of(update), first.text, inline_markup(first.buttons))


async def accept(update: Update, context: Context, case_id: int) -> str:
    svc = services(context)
    case = await svc.cases.accept(sender(update), case_id)
    officer, case = await svc.cases.open_for(sender(update), case.id)
    await show_card(update, context, case, officer)
    return _("Accepted. The citizen was told.")


async def assign_me(update: Update, context: Context, case_id: int) -> str:
    svc = services(context)
    case = await svc.cases.assign(sender(update), case_id)
    officer, case = await svc.cases.open_for(sender(update), case.id)
    await show_card(update, context, case, officer)
    return _("The case is now yours.")


async def choose_assignee(update: Update, context: Context, case_id: int) -> str:
    """Offer the officers who may take this case."""
    svc = services(context)
    case = await svc.cases.get(case_id)
    await svc.cases.authorize(sender(update), "assign", case)
    buttons = [
        [InlineKeyboardButton(o.name, callback_data=f"case:to:{case.id}:{o.id}")]
        for o in await svc.cases.assignees(case)
    ]
    text = _("Give case {code} to:").format(code=case.code)
    await message_of(update).reply_text(text, reply_markup=InlineKeyboardMarkup(buttons))
    return ""


async def assign_to(update: Update, context: Context, case_id: int) -> str:
    target = parse_int(callback_arg(update, 3))
    if target is None:
        raise ValueError("no officer")
    case = await services(context).cases.assign(sender(update), case_id, target)
    await edit(query_of(update), _("Case {code} was assigned.").format(code=case.code))
    return _("Assigned.")


async def prompt(update: Update, context: Context, case_id: int) -> str:
    """Ask the officer for the words this action needs, after checking they may act."""
    svc = services(context)
    action = callback_arg(update, 1)
    case = await svc.cases.get(case_id)
    await svc.cases.authorize(sender(update), action, case)
    await svc.cases.drafts.put(
        sender(update), OFFICER, {"action": action, "case": case.id, "text": "", "files": []}
    )
    text = f"{case.code}: {_(PROMPTS[action])}"
    await message_of(update).reply_text(text, reply_markup=reply.prompt_buttons(action, case))
    return ""


async def open_case(update: Update, context: Context, case_id: int) -> str:
    svc = services(context)
    officer, case = await svc.cases.open_for(sender(update), case_id)
    await reply.send_case(update, context, case, officer)
    return ""


ACTIONS: dict[str, Action] = {
    "acc": accept,
    "me": assign_me,
    "asg": choose_assignee,
    "to": assign_to,
    "ask": prompt,
    "ans": prompt,
    "trf": prompt,
    "res": prompt,
    "rej": prompt,
    "send": reply.send_answer,
    "resnow": reply.resolve_now,
    "open": open_case,
}


async def on_button(update: Update, context: Context) -> None:
    """Carry out the action on the pressed button, or refuse it."""
    query = query_of(update)
    action, case_id = ACTIONS.get(callback_arg(update, 1)), parse_int(callback_arg(update, 2))
    if action is None or case_id is None:
        await query.answer(_("This button is out of date."), show_alert=True)
        return
    try:
        toast = await action(update, context, case_id)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await query.answer(error_text(exc), show_alert=True)
        return
    except ValueError:
        await query.answer(_("This button is out of date."), show_alert=True)
        return
    await query.answer(toast or None)


def register(application: TelegramApp) -> None:
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^case:"))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & InFlow(application, OFFICER), reply.on_message)
    )
