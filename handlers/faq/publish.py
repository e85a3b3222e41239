"""An officer reviews an answered question before it goes into the FAQ.

The citizen typed "khi nao hop dan" and the officer answered for one
village: published as it stood, every village would read that raw question
and that answer. So the "📚 Publish to the FAQ" button opens a review: the
question and the answer pre-filled, each correctable, and the audience (the
case's village or every village); only "Publish" writes the entry. The
review lives in the conversation store (a restart keeps it); every press is
checked again on the server (`bot.faq.case_desk.answer_to_publish`).

```mermaid
flowchart TD
    A["📚 Publish to the FAQ"] --> R["review: question, answer, audience"]
    R -- "✏️ Edit the question / answer" --> T["officer types the new text"]
    T --> R
    R -- "👥 audience" --> R
    R -- "✅ Publish" --> P["FAQ entry (for one village or all)"]
    R -- "✖ Cancel" --> X["nothing published"]
```
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.core.config import Settings
from bot.core.i18n import _
from bot.core.sanitize import clean_line, clean_text
from bot.faq.actions import (
    FaqPubAudience,
    FaqPubCancel,
    FaqPubConfirm,
    FaqPubEdit,
    FaqPublish,
    FaqPubStep,
    PubField,
)
from bot.faq.case_desk import EditedEntry, answer_to_publish, publication_ref, publish_answer
from bot.messaging.markup import Markup, bold
from handlers.cases.common import too_long
from handlers.telegram import replies, router
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.conversation import InFlow
from handlers.telegram.keyboards import button
from handlers.telegram.router import Answer

FLOW = "faq:publish"
Draft = dict[str, Any]


def review_view(draft: Draft, settings: Settings) -> tuple[str, InlineKeyboardMarkup]:
    """The entry as it would be published, and what the officer can change."""
    village = settings.village(draft["village"])
    audience = village.name if village and draft["one"] else _("every village")
    text = Markup("{}\n\n❓ {}\n{}\n\n💬 {}\n{}\n\n👥 {}\n\n{}").format(
        bold(_("Before it goes into the FAQ, check it:")),
        bold(_("Question")),
        draft["question"],
        bold(_("The answer")),
        draft["text"],
        _("For: {audience}").format(audience=audience),
        _(
            "Write the question as other citizens would ask it, with diacritics. "
            "An answer that holds for one village only should stay for that village."
        ),
    )
    case, answer = int(draft["case"]), int(draft["answer"])
    rows = [
        [
            button(_("✏️ Edit the question"), FaqPubEdit(case, answer, PubField.QUESTION)),
            button(_("✏️ Edit the answer"), FaqPubEdit(case, answer, PubField.ANSWER)),
        ]
    ]
    if village is not None:
        mark = "✓ " if draft["one"] else ""
        rows.append(
            [
                button(mark + village.name, FaqPubAudience(case, answer, one_village=True)),
                button(
                    ("" if draft["one"] else "✓ ") + _("Every village"),
                    FaqPubAudience(case, answer, one_village=False),
                ),
            ]
        )
    rows.append(
        [
            button(_("✅ Put it in the FAQ"), FaqPubConfirm(case, answer)),
            button(_("✖ Cancel"), FaqPubCancel(case, answer)),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


async def on_publish(update: Update, context: Context, action: FaqPublish) -> Answer | None:
    """Open the review of an answer, pre-filled from the case log."""
    svc, who = services(context), recipient_of(update, context)
    _officer, case, answer = await answer_to_publish(
        svc.cases, who, action.case_id, action.answer_id
    )
    known = await svc.faq.published_entry(publication_ref(case, answer))
    if known is not None:
        text = _("This answer is already in the FAQ (entry {id}).").format(id=known.id)
        return Answer(text, alert=True)
    draft: Draft = {
        "case": case.id,
        "answer": answer.id,
        "question": case.description,
        "text": answer.text,
        "village": case.village_id,
        # One village by default when the case has one: widening is the officer's choice.
        "one": case.village_id is not None,
        "field": None,
    }
    await svc.conversations.put(who, FLOW, draft)
    await replies.reply(message_of(update), *review_view(draft, svc.settings))
    return None


async def _draft_for(update: Update, context: Context, action: FaqPubStep) -> Draft | None:
    """The officer's open review of this very answer, checked again on the server."""
    svc, who = services(context), recipient_of(update, context)
    await answer_to_publish(svc.cases, who, action.case_id, action.answer_id)
    draft = await svc.conversations.get(who, FLOW)
    if draft is None or (draft["case"], draft["answer"]) != (action.case_id, action.answer_id):
        return None
    return draft


async def on_edit(update: Update, context: Context, action: FaqPubEdit) -> Answer | None:
    """Ask for the corrected question or answer; the current one is shown to copy."""
    draft = await _draft_for(update, context, action)
    if draft is None:
        return Answer(_("This choice is out of date."), alert=True)
    draft["field"] = action.field.value
    await services(context).conversations.put(recipient_of(update, context), FLOW, draft)
    if action.field is PubField.QUESTION:
        prompt, current = _("Send the question as it should read:"), draft["question"]
    else:
        prompt, current = _("Send the answer as it should read:"), draft["text"]
    await replies.reply(message_of(update), Markup("{}\n\n{}").format(prompt, current))
    return None


async def on_text(update: Update, context: Context) -> None:
    """Take the corrected text the officer was asked for, then show the review again."""
    svc, who, message = services(context), recipient_of(update, context), message_of(update)
    draft = await svc.conversations.get(who, FLOW)
    if draft is None:
        return
    question = draft["field"] == PubField.QUESTION.value
    text = (clean_line if question else clean_text)(message.text or "").strip()
    if draft["field"] is None:
        await replies.reply(message, _("Please use the buttons above, or send /cancel."))
        return
    refusal = too_long(text) if text else _("Please type the text, or send /cancel.")
    if refusal:
        await replies.reply(message, refusal)
        return
    draft["question" if question else "text"] = text
    draft["field"] = None
    await svc.conversations.put(who, FLOW, draft)
    await replies.reply(message, *review_view(draft, svc.settings))


async def on_audience(update: Update, context: Context, action: FaqPubAudience) -> Answer | None:
    """One village or every village."""
    draft = await _draft_for(update, context, action)
    if draft is None:
        return Answer(_("This choice is out of date."), alert=True)
    svc = services(context)
    draft["one"] = action.one_village and draft["village"] is not None
    await svc.conversations.put(recipient_of(update, context), FLOW, draft)
    await replies.edit(update, context, *review_view(draft, svc.settings))
    return None


async def on_confirm(update: Update, context: Context, action: FaqPubConfirm) -> Answer | None:
    """Publish the entry as reviewed."""
    draft = await _draft_for(update, context, action)
    if draft is None:
        return Answer(_("This choice is out of date."), alert=True)
    svc, who = services(context), recipient_of(update, context)
    edited = EditedEntry(
        draft["question"], draft["text"], draft["village"] if draft["one"] else None
    )
    done = await publish_answer(svc.cases, svc.faq, who, action.case_id, action.answer_id, edited)
    await svc.conversations.clear(who, FLOW)
    entry = done.publication.entry
    if not done.publication.first:
        text = _("This answer is already in the FAQ (entry {id}).").format(id=entry.id)
        await replies.edit(update, context, text)
        return None
    published = _(
        "Published to the FAQ as entry {id}: the question of case {code} is now answered at once."
    ).format(id=entry.id, code=done.case.code)
    await replies.edit(update, context, Markup("{}\n\n❓ {}").format(published, entry.question))
    return None


async def on_cancel(update: Update, context: Context, action: FaqPubCancel) -> Answer | None:
    """Leave the FAQ as it is; the button under the answer can open the review again."""
    await services(context).conversations.clear(recipient_of(update, context), FLOW)
    await replies.edit(update, context, _("Nothing was published to the FAQ."))
    return None


def register(application: TelegramApp) -> None:
    router.route(application, FaqPublish, on_publish)
    router.route(application, FaqPubEdit, on_edit)
    router.route(application, FaqPubAudience, on_audience)
    router.route(application, FaqPubConfirm, on_confirm)
    router.route(application, FaqPubCancel, on_cancel)
    private = filters.ChatType.PRIVATE & filters.TEXT
    application.add_handler(MessageHandler(private & InFlow(application, FLOW), on_text))
