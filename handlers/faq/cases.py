"""The "📚 Publish to the FAQ" button an officer gets after answering a question case.

The button names the case and the answer event only; pressing it opens the
officer's review (`handlers.faq.publish`), where the question and the answer
are read from the case log and the permission is checked.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.cases.model import Case
from bot.core.i18n import _
from bot.faq.actions import FaqPublish
from bot.faq.case_desk import latest_answer
from handlers.telegram.common import Context, services
from handlers.telegram.keyboards import button


def publish_keyboard(case_id: int, answer_id: int) -> InlineKeyboardMarkup:
    label = _("📚 Publish to the FAQ")
    return InlineKeyboardMarkup([[button(label, FaqPublish(case_id, answer_id))]])


async def publish_offer(context: Context, case: Case) -> InlineKeyboardMarkup | None:
    """The button under the "answer sent" confirmation, for a question case only."""
    answer = await latest_answer(services(context).cases, case)
    return None if answer is None else publish_keyboard(case.id, answer.id)
