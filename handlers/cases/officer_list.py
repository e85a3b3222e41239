"""`/cases` (open cases by deadline, with filters) and `/case CODE` (one case, full timeline)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.cases.actions import CaseOpen
from bot.cases.codes import parse_code
from bot.cases.core import CaseError
from bot.cases.listing import UnknownFilter, filter_words
from bot.cases.model import Case
from bot.cases.notices import kind_name, topic_name
from bot.core.dates import short_date
from bot.core.i18n import N_, _
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from handlers.cases.common import error_text
from handlers.cases.officer_reply import send_case
from handlers.telegram import commands
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.guard import officer_only, refuse
from handlers.telegram.keyboards import button
from handlers.telegram.replies import reply


def case_line(case: Case, overdue: bool) -> str:
    mark = "⚠️ " if overdue else ""
    due = short_date(case.due_on)
    return f"{mark}{case.code} · {kind_name(case.kind)} · {topic_name(case.topic)} · {due}"


@officer_only("command:cases")
async def list_cases(update: Update, context: Context, officer: Officer) -> None:
    """List open cases, nearest deadline first, filtered by the words given."""
    svc = services(context)
    words = context.args or []
    try:
        cases = await svc.cases.list_open(officer, words)
    except UnknownFilter as exc:
        text = _("Unknown filter “{word}”. You can use: {words}").format(
            word=str(exc), words=filter_words(svc.settings)
        )
        await message_of(update).reply_text(text)
        return
    today = svc.cases.today()
    if not cases:
        await message_of(update).reply_text(_("No open cases match."))
        return
    lines = [_("Open cases, nearest deadline first:")]
    lines += [case_line(c, c.due_on < today) for c in cases]
    buttons = [
        [button(c.code, CaseOpen(c.id)) for c in cases[i : i + 3]] for i in range(0, len(cases), 3)
    ]
    await svc.access.done(officer, "command:cases", detail=" ".join(words))
    await reply(message_of(update), "\n".join(lines), InlineKeyboardMarkup(buttons))


async def show_case(update: Update, context: Context) -> None:
    """Show one case with its full timeline to an officer who may see it."""
    svc = services(context)
    code = parse_code(" ".join(context.args or []), svc.cases.config.code_prefix)
    if code is None:
        await message_of(update).reply_text(_("Please give a case code, e.g. /case PA-7KX45."))
        return
    try:
        officer, case = await svc.cases.open_by_code(recipient_of(update, context), code)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await message_of(update).reply_text(error_text(exc))
        return
    await svc.access.done(officer, "case:view", case.code)
    await send_case(update, context, case, officer)


def register(application: TelegramApp) -> None:
    everyone = tuple(Role)
    commands.declare(
        "cases", N_("Open cases: mine, overdue, by kind, topic or village"), *everyone, order=120
    )
    commands.declare("case", N_("One case with its timeline: /case CODE"), *everyone, order=121)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("cases", list_cases, private))
    application.add_handler(CommandHandler("case", show_case, private))
