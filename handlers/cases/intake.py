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
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cases.actions import (
    IntakeCancel,
    IntakeConsent,
    IntakeFilesDone,
    IntakeKind,
    IntakeRestart,
    IntakeSend,
    IntakeTopic,
    IntakeVillage,
)
from bot.cases.core import CaseError
from bot.cases.drafts import INTAKE
from bot.cases.model import Draft
from bot.core.i18n import N_, _
from bot.messaging.actions import Action
from handlers.cases import intake_steps as steps
from handlers.cases.common import error_text, load_draft, save
from handlers.cases.views import kind_step, topic_step, village_step
from handlers.telegram import commands, menu, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer

FormButton = Callable[[Update, Context, Draft, Any], Awaitable[None]]


async def start_form(update: Update, context: Context) -> None:
    """Open a new form at its first step, unless today's limit is reached."""
    svc = services(context)
    try:
        await svc.cases.check_limit(recipient_of(update, context))
    except CaseError as exc:
        await message_of(update).reply_text(error_text(exc))
        return
    await save(context, update, Draft())
    text, markup = kind_step()
    await message_of(update).reply_text(text, reply_markup=markup)


async def choose_kind(update: Update, context: Context, draft: Draft, action: IntakeKind) -> None:
    await save(context, update, replace(draft, kind=action.kind, step="topic"))
    await edit(update, context, *topic_step())


async def choose_topic(update: Update, context: Context, draft: Draft, action: IntakeTopic) -> None:
    svc = services(context)
    await save(context, update, replace(draft, topic=action.topic, step="village"))
    citizen = await svc.citizens.get(recipient_of(update, context))
    mine = citizen.village_id if citizen else None
    await edit(update, context, *village_step(svc.settings, mine))


async def choose_village(
    update: Update, context: Context, draft: Draft, action: IntakeVillage
) -> None:
    svc = services(context)
    village = action.village_id
    if village is not None and svc.settings.village(village) is None:
        raise ValueError(village)
    await save(context, update, replace(draft, village_id=village, step="description"))
    await edit(update, context, steps.description_prompt(context))


# The step each button belongs to: a press on an older step's message is out of date.
BUTTONS: dict[type[Action], tuple[str, FormButton]] = {
    IntakeKind: ("kind", choose_kind),
    IntakeTopic: ("topic", choose_topic),
    IntakeVillage: ("village", choose_village),
    IntakeFilesDone: ("files", steps.files_done),
    IntakeConsent: ("consent", steps.choose_consent),
    IntakeSend: ("review", steps.send),
    IntakeRestart: ("review", steps.restart),
}


async def on_cancel(update: Update, context: Context, action: IntakeCancel) -> Answer | None:
    """Drop the form at any step."""
    await services(context).conversations.clear(recipient_of(update, context))
    await edit(update, context, _("Cancelled. Nothing was sent."))
    return None


async def on_button(update: Update, context: Context, action: Action) -> Answer | None:
    """Record the choice on the pressed button and show the next step."""
    draft = await load_draft(context, update)
    expected = BUTTONS.get(type(action))
    if draft is None or expected is None or draft.step != expected[0]:
        return Answer(_(OUT_OF_DATE), alert=True)
    try:
        await expected[1](update, context, draft, action)
    except ValueError:
        return Answer(_(OUT_OF_DATE), alert=True)
    return None


OUT_OF_DATE = N_("This choice is out of date. Please use the latest message, or send /feedback.")


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
    router.route(application, IntakeCancel, on_cancel)
    for action in BUTTONS:
        router.route(application, action, on_button)
    application.add_handler(MessageHandler(private & InFlow(application, INTAKE), on_message))
