"""Officers act on cases with the buttons of a case card; the service checks every press.

Actions that need words (ask, answer, transfer, resolve, reject) keep what the
officer types in a draft (SQLite) until it is sent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.cases.actions import (
    CaseAccept,
    CaseAction,
    CaseAnswer,
    CaseAsk,
    CaseAssignMe,
    CaseAssignTo,
    CaseChooseAssignee,
    CaseFiles,
    CaseOpen,
    CaseReject,
    CaseResolve,
    CaseResolveNow,
    CaseSendAnswer,
    CaseTransfer,
)
from bot.cases.drafts import OFFICER
from bot.cases.model import Case
from bot.core.i18n import N_, _
from bot.people.officers import Officer
from handlers.cases import officer_reply as reply
from handlers.telegram import router
from handlers.telegram.channel import inline_markup
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer

Press = Callable[[Update, Context, Any], Awaitable[str]]
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
    """Replace the pressed card with the case as it stands now, timeline included (as /case)."""
    svc = services(context)
    view = svc.cases.case_view(case, officer, await svc.cases.repo.events(case.id))
    await edit(update, context, view.text, inline_markup(view.buttons))


async def accept(update: Update, context: Context, action: CaseAccept) -> str:
    svc = services(context)
    case = await svc.cases.accept(recipient_of(update, context), action.case_id)
    officer, case = await svc.cases.open_for(recipient_of(update, context), case.id)
    await show_card(update, context, case, officer)
    return _("Accepted. The citizen was told.")


async def assign_me(update: Update, context: Context, action: CaseAssignMe) -> str:
    svc = services(context)
    case = await svc.cases.assign(recipient_of(update, context), action.case_id)
    officer, case = await svc.cases.open_for(recipient_of(update, context), case.id)
    await show_card(update, context, case, officer)
    return _("The case is now yours.")


async def choose_assignee(update: Update, context: Context, action: CaseChooseAssignee) -> str:
    """Offer the officers who may take this case."""
    svc = services(context)
    case = await svc.cases.get(action.case_id)
    await svc.cases.authorize(recipient_of(update, context), "assign", case)
    buttons = [
        [button(o.name, CaseAssignTo(case.id, o.id))] for o in await svc.cases.assignees(case)
    ]
    text = _("Give case {code} to:").format(code=case.code)
    await message_of(update).reply_text(text, reply_markup=InlineKeyboardMarkup(buttons))
    return ""


async def assign_to(update: Update, context: Context, action: CaseAssignTo) -> str:
    case = await services(context).cases.assign(
        recipient_of(update, context), action.case_id, action.officer_id
    )
    await edit(update, context, _("Case {code} was assigned.").format(code=case.code))
    return _("Assigned.")


async def prompt(update: Update, context: Context, action: CaseAction) -> str:
    """Ask the officer for the words this action needs, after checking they may act."""
    svc = services(context)
    verb = VERBS[type(action)]
    case = await svc.cases.get(action.case_id)
    await svc.cases.authorize(recipient_of(update, context), verb, case)
    await svc.conversations.put(
        recipient_of(update, context),
        OFFICER,
        {"action": verb, "case": case.id, "text": "", "files": []},
    )
    text = f"{case.code}: {_(PROMPTS[verb])}"
    await message_of(update).reply_text(text, reply_markup=reply.prompt_buttons(verb, case))
    return ""


async def open_case(update: Update, context: Context, action: CaseOpen) -> str:
    svc = services(context)
    officer, case = await svc.cases.open_for(recipient_of(update, context), action.case_id)
    await reply.send_case(update, context, case, officer)
    return ""


async def show_files(update: Update, context: Context, action: CaseFiles) -> str:
    """Send a case's files to an officer who may see the case."""
    svc = services(context)
    officer, case = await svc.cases.open_for(recipient_of(update, context), action.case_id)
    await svc.access.done(officer, "case:files", case.code)
    await reply.send_files(update, context, case)
    return ""


# The actions that need the officer's words, and the draft's name for each.
VERBS: dict[type[CaseAction], str] = {
    CaseAsk: "ask",
    CaseAnswer: "ans",
    CaseTransfer: "trf",
    CaseResolve: "res",
    CaseReject: "rej",
}
ACTIONS: dict[type[CaseAction], Press] = {
    CaseAccept: accept,
    CaseAssignMe: assign_me,
    CaseChooseAssignee: choose_assignee,
    CaseAssignTo: assign_to,
    **dict.fromkeys(VERBS, prompt),
    CaseSendAnswer: reply.send_answer,
    CaseResolveNow: reply.resolve_now,
    CaseOpen: open_case,
    CaseFiles: show_files,
}


async def on_button(update: Update, context: Context, action: CaseAction) -> Answer | None:
    """Carry out the action on the pressed button; the service checks the officer may."""
    try:
        toast = await ACTIONS[type(action)](update, context, action)
    except ValueError:
        return Answer(_("This choice is out of date."), alert=True)
    return Answer(toast or None)


def register(application: TelegramApp) -> None:
    for action in ACTIONS:
        router.route(application, action, on_button)
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & InFlow(application, OFFICER), reply.on_message)
    )
