"""Officers run a dialogue or voter meeting: questions by support, group, mark, answer,
finish (what is left becomes cases), the .docx report.

```mermaid
flowchart LR
  cmd[/dialogue: officer/] --> list[events, ➕ new dialogue / voter meeting]
  list --> compose[[compose: see compose.py]] --> ann([announced via the outbox])
  ann --> asks([citizens ask, say me too: see citizen.py])
  asks --> closes([questions close: the job tells the author the most asked])
  list --> screen[questions, most asked first;<br>anonymous ones without a name]
  screen --> group[🔗 numbers typed: answered together;<br>one number: out of its group] --> screen
  screen --> mark[📌 numbers typed: at the meeting] --> screen
  screen --> answer[✍ n: answer typed] --> told([askers + supporters told, outbox])
  screen --> finish[🏁 finish] --> sure{sure?}
  sure --> cases([unanswered → cases, askers told the code])
  sure --> news([answered public questions → /news, masked])
  screen --> report[📄 .docx: by topic, answers, still open]
  screen --> voice[🎤 n: the voice note]
```
Every press and typed step checks the role on the server.
"""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.core.i18n import _
from bot.dialogues import rules
from bot.dialogues.actions import DialogueManage, DialogueSure, DialogueVoice, Manage
from bot.dialogues.model import Dialogue, State
from bot.dialogues.rules import DialogueError
from bot.dialogues.service import OFFICER_ROLES
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.people.access import PermissionDenied
from bot.people.officers import Officer
from handlers.dialogues import awaiting, compose, views
from handlers.telegram import router
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.guard import REFUSAL
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

ACTION = "dialogue:manage"
MANAGE_STEPS = {"group": Manage.GROUP, "mark": Manage.MARK, "answer": Manage.ANSWER}
STEPS = frozenset(MANAGE_STEPS) | compose.STEPS


async def is_officer(update: Update, context: Context) -> bool:
    found = await services(context).access.officer(recipient_of(update, context))
    return found is not None and found.has_any(OFFICER_ROLES)


async def _officer(update: Update, context: Context, target: int = 0) -> Officer:
    return await services(context).access.authorize(
        recipient_of(update, context), ACTION, OFFICER_ROLES, target=str(target)
    )


async def show_officer_list(update: Update, context: Context) -> None:
    """The officer's /dialogue: announced and finished events, and buttons to compose."""
    await _officer(update, context)
    svc = services(context)
    found = await svc.dialogues.repo.listed(State.OPEN, State.FINISHED, limit=10)
    await reply(message_of(update), *views.officer_list(found, svc.settings.timezone))


async def _screen(update: Update, context: Context, dialogue: Dialogue) -> views.Screen:
    svc = services(context)
    questions = await svc.dialogues.questions(dialogue.id)
    return views.manage_screen(dialogue, questions, svc.settings.timezone)


async def on_manage(update: Update, context: Context, action: DialogueManage) -> Answer | None:
    """The questions screen, a typed step (group, mark, answer), or a confirmation."""
    officer = await _officer(update, context, action.dialogue_id)
    svc = services(context)
    try:
        dialogue = await svc.dialogues.get(action.dialogue_id)
        if action.what is Manage.QUESTIONS:
            await edit(update, context, *await _screen(update, context, dialogue), html=True)
        elif action.what in (Manage.GROUP, Manage.MARK, Manage.ANSWER):
            if dialogue.state is not State.OPEN:
                raise DialogueError(rules.NOT_OPEN)
            await awaiting.expect(update, context, action.what.name.lower(), dialogue.id)
            await reply(message_of(update), views.manage_prompt(action.what))
        elif action.what in (Manage.FINISH, Manage.CANCEL):
            await edit(update, context, *views.are_you_sure(dialogue, action.what), html=True)
        else:
            # Built in the background: the press is answered at once, the file follows.
            task = send_report(update, context, officer, dialogue)
            context.application.create_task(task, update=update)
            return Answer(_("Preparing the report…"))
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    return None


async def on_sure(update: Update, context: Context, action: DialogueSure) -> Answer | None:
    """Finish or cancel, confirmed."""
    officer = await _officer(update, context, action.dialogue_id)
    svc = services(context)
    try:
        if action.what is Manage.FINISH:
            await svc.dialogues.finish(action.dialogue_id)
            dialogue = await svc.dialogues.get(action.dialogue_id)
            text, markup = views.finished(dialogue, await svc.dialogues.questions(dialogue.id))
        else:
            dialogue = await svc.dialogues.cancel(action.dialogue_id)
            text, markup = _("Cancelled; everyone it was announced to is told."), None
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    await svc.access.done(officer, f"dialogue:{action.what.name.lower()}", str(dialogue.id))
    await edit(update, context, text, markup, html=True)
    return None


async def on_voice(update: Update, context: Context, action: DialogueVoice) -> Answer | None:
    """Send the officer a question's voice note (the bot keeps it: any channel can)."""
    svc = services(context)
    await _officer(update, context, action.question_id)
    question = await svc.dialogues.repo.question(action.question_id)
    if question is None or question.voice is None:
        return Answer(_(rules.NOT_FOUND), alert=True)
    caption = _("Question #{n}").format(n=question.number)
    message = OutgoingMessage(caption, attachment=Attachment("voice", question.voice))
    await reply_channel(context).send(recipient_of(update, context), message)
    return None


async def on_step_text(update: Update, context: Context, step: str, item: int) -> None:
    """An officer's typed numbers or answer, or a composer step."""
    try:
        if step in compose.STEPS:
            await compose.on_text(update, context, step, item)
            return
        officer = await _officer(update, context, item)
        await _manage_text(update, context, officer, step, item)
    except PermissionDenied:
        await reply(message_of(update), _(REFUSAL))


async def _manage_text(
    update: Update, context: Context, officer: Officer, step: str, item: int
) -> None:
    """Group, mark or answer as typed; what was done goes in the audit log."""
    svc, text = services(context), message_of(update).text or ""
    markup = None
    try:
        if step == "answer":
            number, answer = rules.parse_answer(text)
            done = f"{item}#{number}"
            shown = views.answered(await svc.dialogues.answer(item, number, answer))
        else:
            numbers = rules.parse_numbers(text)
            done = f"{item}#" + ",".join(map(str, numbers))
            if step == "group":
                await svc.dialogues.group(item, numbers)
            else:
                await svc.dialogues.mark(item, numbers)
            shown, markup = await _screen(update, context, await svc.dialogues.get(item))
        await svc.access.done(officer, f"dialogue:{step}", done)
    except DialogueError as exc:
        await awaiting.expect(update, context, step, item)  # let them try again
        shown = exc.shown()
    await reply(message_of(update), shown, markup)


async def send_report(
    update: Update, context: Context, officer: Officer, dialogue: Dialogue
) -> None:
    """Build the .docx in a worker thread and send it."""
    # Here, not at the top: python-docx loads when a report is asked for, not at start-up.
    from bot.dialogues.report import build_report
    from bot.reports.decree_form import Letterhead

    svc = services(context)
    questions = await svc.dialogues.masked(await svc.dialogues.questions(dialogue.id))
    issued = svc.clock.now().astimezone(svc.settings.timezone).date()
    head = Letterhead(commune=svc.settings.commune_name, issued=issued)
    data = await asyncio.to_thread(build_report, dialogue, questions, head, svc.settings.timezone)
    name = f"doi-thoai-{dialogue.id}.docx"
    await message_of(update).reply_document(InputFile(data, filename=name))
    await svc.access.done(officer, "dialogue:report", str(dialogue.id))


def register(application: TelegramApp) -> None:
    router.route(application, DialogueManage, on_manage)
    router.route(application, DialogueSure, on_sure)
    router.route(application, DialogueVoice, on_voice)
    compose.register(application)
