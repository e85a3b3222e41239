"""The "📚 Publish to the FAQ" button an officer gets after answering a question case.

The button names the case and the answer event only; the question and the
answer are read from the case log when it is pressed, and the permission is
checked then (`bot.faq.case_desk.publish_answer`).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.cases.core import CaseError
from bot.cases.model import Case
from bot.core.i18n import _
from bot.faq.case_desk import latest_answer, publish_answer
from bot.people.access import PermissionDenied
from handlers.cases.common import error_text, parse_int
from handlers.telegram.common import Context, TelegramApp, callback_arg, query_of, sender, services
from handlers.telegram.guard import refuse
from handlers.telegram.replies import edit

PREFIX = "faq:pub"


def publish_keyboard(case_id: int, answer_id: int) -> InlineKeyboardMarkup:
    label = _("📚 Publish to the FAQ")
    data = f"{PREFIX}:{case_id}:{answer_id}"
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])


async def publish_offer(context: Context, case: Case) -> InlineKeyboardMarkup | None:
    """The button under the "answer sent" confirmation, for a question case only."""
    answer = await latest_answer(services(context).cases, case)
    return None if answer is None else publish_keyboard(case.id, answer.id)


async def on_publish(update: Update, context: Context) -> None:
    """Publish the answer to the FAQ, so the same question is answered at once next time."""
    svc, query = services(context), query_of(update)
    case_id, answer_id = parse_int(callback_arg(update, 2)), parse_int(callback_arg(update, 3))
    try:
        done = await publish_answer(svc.cases, svc.faq, sender(update), case_id, answer_id)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await query.answer(error_text(exc), show_alert=True)
        return
    entry = done.publication.entry
    if not done.publication.first:
        text = _("This answer is already in the FAQ (entry {id}).").format(id=entry.id)
        await query.answer(text, show_alert=True)
        return
    published = _(
        "Published to the FAQ as entry {id}: the question of case {code} is now answered at once."
    ).format(id=entry.id, code=done.case.code)
    # The citizen's words become the entry's question: the officer sees them as published.
    await edit(query, f"{published}\n\n❓ {entry.question}")
    await query.answer()


def register(application: TelegramApp) -> None:
    application.add_handler(CallbackQueryHandler(on_publish, pattern=rf"^{PREFIX}:"))
