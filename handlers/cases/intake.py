"""`/feedback`: the guided form that turns what a citizen raises into a tracked case.

```mermaid
stateDiagram-v2
    [*] --> kind: /feedback or menu
    kind --> topic: button
    topic --> village: button
    village --> description: button
    description --> files: text or voice
    files --> files: photo, document, location
    files --> consent: Continue
    consent --> contact: I agree
    consent --> review: anonymously (not complaints, denunciations)
    contact --> review: shared or typed name and phone
    review --> [*]: Send (case committed, then code shown)
    review --> kind: Start again
```
`/cancel` leaves at every step; unexpected input repeats the step. The form
is stored in SQLite at every step, so a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.cases.core import CaseError
from bot.cases.drafts import INTAKE
from bot.cases.model import Draft, Kind, Topic
from bot.core.i18n import N_, _
from handlers.cases import intake_steps as steps
from handlers.cases.common import InFlow, error_text, load_draft, save
from handlers.cases.views import PREFIX, kind_step, topic_step, village_step
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
from handlers.telegram.replies import edit

Button = Callable[[Update, Context, Draft, str], Awaitable[None]]


async def start_form(update: Update, context: Context) -> None:
    """Open a new form at its first step, unless today's limit is reached."""
    svc = services(context)
    try:
        await svc.cases.check_limit(sender(update))
    except CaseError as exc:
        await message_of(update).reply_text(error_text(exc))
        return
    await save(context, update, Draft())
    text, markup = kind_step()
    await message_of(update).reply_text(text, reply_markup=markup)


async def choose_kind(update: Update, context: Context, draft: Draft, value: str) -> None:
    await save(context, update, replace(draft, kind=Kind(value), step="topic"))
    await edit(query_of(update), *topic_step())


async def choose_topic(update: Update, context: Context, draft: Draft, value: str) -> None:
    svc = services(context)
    await save(context, update, replace(draft, topic=Topic(value), step="village"))
    citizen = await svc.citizens.get(sender(update))
    mine = citizen.village_id if citizen else None
    await edit(query_of(update), *village_step(svc.settings, mine))


async def choose_village(update: Update, context: Context, draft: Draft, value: str) -> None:
    svc = services(context)
    if value != "-" and svc.settings.village(value) is None:
        raise ValueError(value)
    village = None if value == "-" else value
    await save(context, update, replace(draft, village_id=village, step="description"))
    await edit(query_of(update), steps.description_prompt())


BUTTONS: dict[str, tuple[str, Button]] = {
    "kind": ("kind", choose_kind),
    "topic": ("topic", choose_topic),
    "vil": ("village", choose_village),
    "next": ("files", steps.files_done),
    "consent": ("consent", steps.choose_consent),
    "send": ("review", steps.send),
    "restart": ("review", steps.restart),
}


async def on_button(update: Update, context: Context) -> None:
    """Record the choice on the pressed button and show the next step."""
    svc = services(context)
    query = query_of(update)
    action, value = callback_arg(update, 1), callback_arg(update, 2)
    draft = await load_draft(context, update)
    if action == "cancel":
        await svc.cases.drafts.clear(sender(update))
        await edit(query, _("Cancelled. Nothing was sent."))
        await query.answer()
        return
    expected = BUTTONS.get(action)
    if draft is None or expected is None or draft.step != expected[0]:
        await query.answer(_(OUT_OF_DATE), show_alert=True)
        return
    try:
        await expected[1](update, context, draft, value)
    except ValueError:
        await query.answer(_(OUT_OF_DATE), show_alert=True)
        return
    except CaseError as exc:
        await query.answer(error_text(exc), show_alert=True)
        return
    await query.answer()


OUT_OF_DATE = N_("This button is out of date. Please use the latest message, or send /feedback.")


async def on_message(update: Update, context: Context) -> None:
    """Take what the citizen sent for the current step, or ask again."""
    draft = await load_draft(context, update)
    if draft is None:
        return
    handler = steps.MESSAGE_STEPS.get(draft.step, steps.reprompt)
    await handler(update, context, draft)


def register(application: TelegramApp) -> None:
    commands.declare("feedback", N_("Send a question, feedback or petition"), order=30)
    menu.add(menu.MenuItem("feedback", N_("📝 Send feedback"), start_form, order=30))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("feedback", start_form, private))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
    application.add_handler(MessageHandler(private & InFlow(application, INTAKE), on_message))
