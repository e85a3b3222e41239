"""Citizens answer consultations: a press per option, an optional comment, `/consult`.

```mermaid
flowchart LR
  invite([invitation via the outbox]) --> press[option pressed]
  press --> rules{open, in the audience,<br>subscribed, representative?}
  rules -- yes --> stored([answer stored / changed])
  rules -- no --> refused[/the reason, e.g. closed/]
  invite --> comment[💬 pressed] --> text[next message] --> saved([comment stored])
  consult[/consult or menu/] --> list[open ones + results] --> show[one shown again with its buttons]
  invite --> step[🗳 answer the questions] --> q[question i: options, ✍ write, Next]
  q -- option / Next --> q
  q -- after the last --> done[your answers + change them]
  text --> sign{sign with my name?}
```
A consultation of several questions (or of a multiple-choice or free-comment
question) is answered step by step; a single-choice one on the invitation.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.consultations import notices, rules
from bot.consultations.actions import (
    ConsultAnswer,
    ConsultComment,
    ConsultPick,
    ConsultShow,
    ConsultSign,
    ConsultStep,
    ConsultWrite,
)
from bot.consultations.model import QuestionType, State
from bot.consultations.rules import CANCELLED, ConsultationError
from bot.core.i18n import N_, _
from bot.people.citizens import Citizen
from handlers.consultations import awaiting, officer, replies, views
from handlers.telegram import commands, menu, router
from handlers.telegram.channel import reply_channel
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
        # Who pressed is resolved in the answer's own transaction: no query before it.
        who = recipient_of(update, context)
        done = await svc.consultations.press(who, action.consultation_id, action.option)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    return Answer(views.answered(done.consultation, action.option, done.previous))


async def on_comment_asked(
    update: Update, context: Context, action: ConsultComment | ConsultWrite
) -> Answer:
    """Take the citizen's next message as their comment (or a free-comment answer)."""
    question = action.question if isinstance(action, ConsultWrite) else 0
    step = "comment" if question == 0 else f"comment:{question}"
    await awaiting.expect(update, context, step, action.consultation_id)
    await replies.reply(message_of(update), _("Write your comment in one message."))
    return Answer()


async def on_step(update: Update, context: Context, action: ConsultStep) -> Answer | None:
    """Show a question to answer; from the invitation or the last screen, as a new message."""
    svc = services(context)
    try:
        citizen = await _citizen(update, context)
        consultation = await svc.consultations.get(action.consultation_id)
        refusal = rules.timing_refusal(consultation, svc.clock.now())
        if refusal is not None:
            raise ConsultationError(refusal)
        answers = await svc.consultations.my_answers(citizen.id, consultation.id)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    text, keyboard = views.question_screen(consultation, action.question, answers)
    if action.question == 0:
        await replies.reply(message_of(update), text, keyboard)
    else:
        await replies.show(update, context, text, keyboard)
    return None


async def on_pick(update: Update, context: Context, action: ConsultPick) -> Answer | None:
    """Store one question's option; a single choice moves on to the next question."""
    svc, cid = services(context), action.consultation_id
    try:
        citizen = await _citizen(update, context)
        done = await svc.consultations.press(citizen.id, cid, action.option, action.question)
        consultation = done.consultation
        answers = await svc.consultations.my_answers(citizen.id, cid)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    asked = consultation.questions[action.question]
    shown = action.question if asked.type is QuestionType.MULTIPLE else action.question + 1
    await replies.show(update, context, *views.question_screen(consultation, shown, answers))
    return Answer(_("✅ Saved."))


async def on_sign(update: Update, context: Context, action: ConsultSign) -> Answer:
    """Put the citizen's name on their comment, or take it off."""
    svc = services(context)
    try:
        citizen = await _citizen(update, context)
        await svc.consultations.sign(citizen.id, action.consultation_id, action.question, action.on)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    if action.on:
        return Answer(_("Your comment is signed with your name."))
    return Answer(_("Your comment stays without your name."))


async def on_text(update: Update, context: Context) -> None:
    """A comment, or a household declaration, that the citizen was asked for."""
    step, item = await awaiting.take(update, context)
    text, svc = (message_of(update).text or "").strip(), services(context)
    kind, _sep, number = step.partition(":")
    if kind not in ("comment", "household"):
        await officer.on_compose_text(update, context, step, item)
        return
    keyboard = None
    try:
        citizen = await _citizen(update, context)
        if kind == "comment":
            question = int(number) if number.isdigit() else 0
            await svc.consultations.comment(citizen.id, item, text, question)
            consultation = await svc.consultations.get(item)
            reply, keyboard = views.comment_stored(consultation, question)
        else:
            name, _sep, address = text.partition(",")
            await svc.consultations.repo.declare_household(
                citizen.id, name.strip(), address.strip(), citizen.village_id
            )
            reply = _("Saved: you represent this household.")
    except ConsultationError as exc:
        reply = _(exc.text)
    await replies.reply(message_of(update), reply, keyboard)


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
        consultation, tallies = await svc.consultations.all_results(action.consultation_id)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    if consultation.state is State.OPEN:
        message = notices.invitation(consultation, svc.settings.timezone)
    elif consultation.state is State.CLOSED:
        message = notices.result(consultation, tallies, svc.consultations.villages)
    else:
        return Answer(_(CANCELLED), alert=True)
    await reply_channel(context).send(recipient_of(update, context), message)
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
    router.route(application, ConsultStep, on_step)
    router.route(application, ConsultPick, on_pick)
    router.route(application, ConsultWrite, on_comment_asked)
    router.route(application, ConsultSign, on_sign)
