"""Citizens answer consultations: a press per option, an optional comment, `/consult`.

```mermaid
flowchart LR
  invite([invitation via the outbox]) --> press[option pressed]
  press --> rules{open, in the audience,<br>subscribed, representative?}
  rules -- yes --> stored([answer stored / changed])
  rules -- no --> refused[/the reason, e.g. closed/]
  invite --> comment[💬 pressed] --> text[next message] --> saved([comment stored])
  consult[/consult or menu/] --> list[open ones + results] --> show[one shown again with its buttons]
```
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.consultations import notices
from bot.consultations.actions import ConsultAnswer, ConsultComment, ConsultShow
from bot.consultations.model import State
from bot.consultations.rules import CANCELLED, ConsultationError
from bot.core.i18n import N_, _
from bot.people.citizens import Citizen
from handlers.consultations import awaiting, officer, replies, views
from handlers.telegram import commands, menu, router
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.router import Answer

NOT_SUBSCRIBED = N_("Please send /start first to subscribe.")


async def _citizen(update: Update, context: Context) -> Citizen:
    citizen = await services(context).citizens.get(recipient_of(update, context))
    if citizen is None:
        raise ConsultationError(NOT_SUBSCRIBED)
    return citizen


async def on_answer(update: Update, context: Context, action: ConsultAnswer) -> Answer:
    """Store the pressed option; say what was stored, or why not."""
    svc = services(context)
    try:
        citizen = await _citizen(update, context)
        previous = await svc.consultations.answer(citizen.id, action.consultation_id, action.option)
        consultation = await svc.consultations.get(action.consultation_id)  # no tally: cheap
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    return Answer(views.answered(consultation, action.option, previous))


async def on_comment_asked(update: Update, context: Context, action: ConsultComment) -> Answer:
    """Take the citizen's next message as their comment."""
    await awaiting.expect(update, context, "comment", action.consultation_id)
    await replies.reply(message_of(update), _("Write your comment in one message."))
    return Answer()


async def on_text(update: Update, context: Context) -> None:
    """A comment, or a household declaration, that the citizen was asked for."""
    step, item = await awaiting.take(update, context)
    text, svc = (message_of(update).text or "").strip(), services(context)
    if step not in ("comment", "household"):
        await officer.on_compose_text(update, context, step, item)
        return
    try:
        citizen = await _citizen(update, context)
        if step == "comment":
            await svc.consultations.comment(citizen.id, item, text)
            reply = _("Thank you, your comment was stored.")
        elif step == "household":
            name, _sep, address = text.partition(",")
            await svc.consultations.repo.declare_household(
                citizen.id, name.strip(), address.strip(), citizen.village_id
            )
            reply = _("Saved: you represent this household.")
    except ConsultationError as exc:
        reply = _(exc.text)
    await replies.reply(message_of(update), reply)


async def show_list(update: Update, context: Context) -> None:
    """/consult: officers get their screen; citizens what is open and recent results."""
    if await officer.is_officer(update, context):
        await officer.show_officer_list(update, context)
        return
    svc = services(context)
    citizen = await svc.citizens.get(recipient_of(update, context))
    open_now = await svc.consultations.visible(citizen, State.OPEN)
    closed = await svc.consultations.visible(citizen, State.CLOSED, limit=5)
    text, keyboard = views.listing(open_now, closed, svc.settings.timezone)
    await replies.reply(message_of(update), text, keyboard)


async def on_show(update: Update, context: Context, action: ConsultShow) -> Answer | None:
    """Send one consultation again: its invitation with buttons, or its result."""
    svc = services(context)
    try:
        consultation, tally = await svc.consultations.results(action.consultation_id)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    if consultation.state is State.OPEN:
        message = notices.invitation(consultation, svc.settings.timezone)
    elif consultation.state is State.CLOSED:
        message = notices.result(consultation, tally, svc.consultations.villages)
    else:
        return Answer(_(CANCELLED), alert=True)
    await TelegramChannel(context.bot, files=svc.files).send(recipient_of(update, context), message)
    return None


def register(application: TelegramApp) -> None:
    commands.declare("consult", N_("Consultations and votes"), order=45)
    menu.add(menu.MenuItem("consult", N_("🗳 Consultations and votes"), show_list, order=45))
    pending = InFlow(application, awaiting.FLOW)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("consult", show_list, private))
    application.add_handler(
        MessageHandler(
            private & ((filters.TEXT & ~filters.COMMAND) | filters.Document.ALL) & pending, on_text
        )
    )
    router.route(application, ConsultAnswer, on_answer)
    router.route(application, ConsultComment, on_comment_asked)
    router.route(application, ConsultShow, on_show)
