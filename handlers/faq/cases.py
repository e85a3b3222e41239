"""The "📚 Publish to the FAQ" button an officer gets after answering a question case.

The button names the case and the answer event only; the question and the
answer are read from the case log when it is pressed, and the permission is
checked then (`bot.faq.case_desk.publish_answer`).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.cases.model import Case
from bot.core.i18n import _
from bot.faq.actions import FaqPublish
from bot.faq.case_desk import latest_answer, publish_answer
from handlers.telegram import router
from handlers.telegram.common import Context, TelegramApp, recipient_of, services
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer


def publish_keyboard(case_id: int, answer_id: int) -> InlineKeyboardMarkup:
    label = _("📚 Publish to the FAQ")
    return InlineKeyboardMarkup([[button(label, FaqPublish(case_id, answer_id))]])


async def publish_offer(context: Context, case: Case) -> InlineKeyboardMarkup | None:
    """The button under the "answer sent" confirmation, for a question case only."""
    answer = await latest_answer(services(context).cases, case)
    return None if answer is None else publish_keyboard(case.id, answer.id)


async def on_publish(update: Update, context: Context, action: FaqPublish) -> Answer | None:
    """Publish the answer to the FAQ, so the same question is answered at once next time."""
    svc = services(context)
    done = await publish_answer(
        svc.cases, svc.faq, recipient_of(update, context), action.case_id, action.answer_id
    )
    entry = done.publication.entry
    if not done.publication.first:
        text = _("This answer is already in the FAQ (entry {id}).").format(id=entry.id)
        return Answer(text, alert=True)
    published = _(
        "Published to the FAQ as entry {id}: the question of case {code} is now answered at once."
    ).format(id=entry.id, code=done.case.code)
    # The citizen's words become the entry's question: the officer sees them as published.
    await edit(update, context, f"{published}\n\n❓ {entry.question}")
    return None


def register(application: TelegramApp) -> None:
    router.route(application, FaqPublish, on_publish)
