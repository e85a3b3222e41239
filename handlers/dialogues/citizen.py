"""Citizens send questions to a dialogue or voter meeting, and say "me too" to others'.

```mermaid
flowchart LR
  ann([announcement via the outbox]) --> ask[❓ pressed]
  list[/dialogue or menu/] --> ask
  ask --> open{taking questions,<br>in the audience?}
  open -- no --> refused[/the reason, e.g. closed on …/]
  open -- yes --> words[text or voice note] --> topic{topic} --> signed{signed or<br>anonymous} --> public{shown publicly?}
  public --> stored([question #n stored; form ended in the same transaction])
  ann --> browse[📋 pressed] --> others[public questions, most asked first]
  others --> metoo[🙋 me too] --> counted([one per citizen per question])
```
The form lives in the conversation store; the last press stores the question
and ends the form together, so a double press makes one question.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cases.model import Topic
from bot.core.i18n import N_, _
from bot.dialogues.actions import (
    DialogueAsk,
    DialogueBrowse,
    DialoguePublic,
    DialogueSigned,
    DialogueSupport,
    DialogueTopic,
)
from bot.dialogues.model import NewQuestion
from bot.dialogues.rules import NOT_SUBSCRIBED, DialogueError, check_text
from bot.dialogues.service import FORM_GONE
from bot.messaging.files import FileTooLarge
from bot.people.citizens import Citizen
from handlers.dialogues import awaiting, officer, views
from handlers.telegram import commands, menu, router
from handlers.telegram import files as telegram_files
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.conversation import InFlow
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

CHOOSE_ABOVE = N_("Please choose one of the options above.")


async def _citizen(update: Update, context: Context) -> Citizen:
    citizen = await services(context).citizens.get(recipient_of(update, context))
    if citizen is None:
        raise DialogueError(NOT_SUBSCRIBED)
    return citizen


async def show_list(update: Update, context: Context) -> None:
    """/dialogue: officers get their screen; citizens the events taking questions."""
    if await officer.is_officer(update, context):
        await officer.show_officer_list(update, context)
        return
    svc = services(context)
    citizen = await svc.citizens.get(recipient_of(update, context))
    found = await svc.dialogues.visible(citizen)
    await reply(message_of(update), *views.citizen_list(found, svc.settings.timezone))


async def on_ask(update: Update, context: Context, action: DialogueAsk) -> Answer:
    """Check the event takes questions, then wait for the question."""
    try:
        citizen = await _citizen(update, context)
        dialogue = await services(context).dialogues.may_ask_more(citizen, action.dialogue_id)
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    await awaiting.expect(update, context, "question", dialogue.id)
    await reply(message_of(update), views.ask_prompt(dialogue))
    return Answer()


async def on_message(
    update: Update, context: Context, step: str, item: int, data: dict[str, Any]
) -> None:
    """The question's words or voice note; then the topic is asked."""
    message, svc = message_of(update), services(context)
    if step in ("topic", "signed", "public"):
        await awaiting.expect(update, context, step, item, data)
        await reply(message, _(CHOOSE_ABOVE))
        return
    if step != "question":  # the form was forgotten (too old)
        await reply(message, _(FORM_GONE))
        return
    voice = None
    try:
        found = telegram_files.incoming(message)
        if found is not None and found.kind == "voice":
            voice = (await telegram_files.keep(context.bot, svc.files, found)).ref
        text = check_text(message.text or message.caption or "", voice)
    except (DialogueError, FileTooLarge) as exc:
        await awaiting.expect(update, context, step, item)
        shown = exc.shown() if isinstance(exc, DialogueError) else telegram_files.too_large(exc)
        await reply(message, shown)
        return
    await awaiting.expect(update, context, "topic", item, {"text": text, "voice": voice})
    await reply(message, *views.topic_step(item))


async def _form(
    update: Update, context: Context, step: str, dialogue_id: int
) -> dict[str, Any] | None:
    """The citizen's form if it waits for this press; None for a stale or repeated press."""
    data = await awaiting.peek(update, context)
    return data if data.get("step") == step and data.get("id") == dialogue_id else None


async def on_topic(update: Update, context: Context, action: DialogueTopic) -> Answer | None:
    data = await _form(update, context, "topic", action.dialogue_id)
    if data is None or action.topic not in set(Topic):
        return Answer(_(FORM_GONE), alert=True)
    extra = {**data, "topic": action.topic}
    await awaiting.expect(update, context, "signed", action.dialogue_id, extra)
    await edit(update, context, *views.signed_step(action.dialogue_id), html=True)
    return None


async def on_signed(update: Update, context: Context, action: DialogueSigned) -> Answer | None:
    data = await _form(update, context, "signed", action.dialogue_id)
    if data is None:
        return Answer(_(FORM_GONE), alert=True)
    data = {**data, "anonymous": not action.signed}
    await awaiting.expect(update, context, "public", action.dialogue_id, data)
    await edit(update, context, *views.public_step(action.dialogue_id), html=True)
    return None


async def on_public(update: Update, context: Context, action: DialoguePublic) -> Answer | None:
    """Store the question with the citizen's choices, ending the form."""
    svc, who = services(context), recipient_of(update, context)
    data = await _form(update, context, "public", action.dialogue_id)
    if data is None:
        return Answer(_(FORM_GONE), alert=True)
    new = NewQuestion(
        text=str(data.get("text") or ""),
        voice=data.get("voice"),
        topic=Topic(data.get("topic", Topic.OTHER.value)),
        anonymous=bool(data.get("anonymous")),
        public=action.public,
    )
    try:
        citizen = await _citizen(update, context)
        number = await svc.dialogues.ask(who, citizen, action.dialogue_id, new)
        dialogue = await svc.dialogues.get(action.dialogue_id)
    except DialogueError as exc:
        await svc.conversations.clear(who, awaiting.FLOW)  # closed meanwhile: the form ends
        await edit(update, context, exc.shown(), html=True)
        return Answer(exc.shown(), alert=True)
    await edit(
        update, context, views.received(dialogue, number, new.anonymous, new.public), html=True
    )
    return None


async def on_browse(update: Update, context: Context, action: DialogueBrowse) -> Answer | None:
    """The public questions of an event, most asked first, with "me too" buttons."""
    svc = services(context)
    try:
        citizen = await _citizen(update, context)
        dialogue = await svc.dialogues.get(action.dialogue_id)
        questions = await svc.dialogues.public_questions(dialogue.id)
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    await reply(message_of(update), *views.public_list(dialogue, questions, citizen.id))
    return None


async def on_support(update: Update, context: Context, action: DialogueSupport) -> Answer:
    """Add the citizen's "me too" (once) and say how many now ask it."""
    try:
        citizen = await _citizen(update, context)
        question = await services(context).dialogues.support(citizen, action.question_id)
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    return Answer(
        _("Added. {n} people now ask question #{number}.").format(
            n=question.weight, number=question.number
        )
    )


async def on_text(update: Update, context: Context) -> None:
    """A message in the dialogue flow: the citizen's question, or an officer's typed step."""
    step, item, data = await awaiting.take(update, context)
    if step in officer.STEPS:
        await officer.on_step_text(update, context, step, item)
    else:
        await on_message(update, context, step, item, data)


def register(application: TelegramApp) -> None:
    commands.declare("dialogue", N_("Dialogues and voter meetings"), order=46)
    menu.add(menu.MenuItem("dialogue", N_("🗣 Dialogues and voter meetings"), show_list, order=46))
    pending = InFlow(application, awaiting.FLOW)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("dialogue", show_list, private))
    taken = (filters.TEXT & ~filters.COMMAND) | filters.VOICE
    application.add_handler(MessageHandler(private & taken & pending, on_text))
    router.route(application, DialogueAsk, on_ask)
    router.route(application, DialogueTopic, on_topic)
    router.route(application, DialogueSigned, on_signed)
    router.route(application, DialoguePublic, on_public)
    router.route(application, DialogueBrowse, on_browse)
    router.route(application, DialogueSupport, on_support)
