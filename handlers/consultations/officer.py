"""Officers follow consultations: the list, the live tally, paper ballots, close, extend, cancel.

```mermaid
flowchart LR
  consult[/consult: officer/] --> list[open + recent, ➕ new]
  list --> tally[live tally by option and village]
  tally --> paper[📝 paper totals typed] --> tally
  tally --> extend[⏳ new closing typed] --> told1([participants told])
  tally --> close[🔒 close early] --> sure1{sure?} --> result([result to participants,<br>/news, officers])
  tally --> cancel[✖ cancel] --> sure2{sure?} --> told2([everyone told])
  tally --> report[📄 .docx report]
  tally --> comments[💬 comments] --> one[one comment]
  one --> respond[↩️ answer typed] --> shown([shown with the result, masked])
  one --> hide([🙈 hidden]) & case([📂 a case; the citizen is told])
  list --> compose[[compose: see compose.py]]
```
Every press checks the role on the server; officers see counts and
comments, never who chose what.
"""

from __future__ import annotations

from telegram import Update

from bot.consultations.actions import CommentAct, ConsultManage, ConsultSure, Manage, Moderate
from bot.consultations.model import State
from bot.consultations.paper import parse_paper
from bot.consultations.rules import ConsultationError
from bot.consultations.service import OFFICER_ROLES
from bot.core.i18n import _
from bot.outreach.schedule_parse import WhenError, parse_when
from bot.people.access import PermissionDenied
from bot.people.officers import Officer
from handlers.consultations import awaiting, compose, replies, report
from handlers.consultations import officer_views as views
from handlers.telegram import router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.guard import REFUSAL
from handlers.telegram.router import Answer

ACTION = "consultation:manage"


async def is_officer(update: Update, context: Context) -> bool:
    found = await services(context).access.officer(recipient_of(update, context))
    return found is not None and found.has_any(OFFICER_ROLES)


async def _officer(update: Update, context: Context, target: int = 0) -> Officer:
    return await services(context).access.authorize(
        recipient_of(update, context), ACTION, OFFICER_ROLES, target=str(target)
    )


async def show_officer_list(update: Update, context: Context) -> None:
    """The officer's /consult: open and recent consultations, and a button to compose."""
    await _officer(update, context)
    svc = services(context).consultations
    found = await svc.repo.listed(State.OPEN, State.CLOSED, limit=10)
    text, keyboard = views.officer_list(found, services(context).settings)
    await replies.reply(message_of(update), text, keyboard)


async def on_manage(update: Update, context: Context, action: ConsultManage) -> Answer | None:
    """Show the tally, or start paper entry, extension, closing or cancelling."""
    officer = await _officer(update, context, action.consultation_id)
    svc, cid = services(context), action.consultation_id
    try:
        consultation, tallies = await svc.consultations.all_results(cid)
        if action.what is Manage.TALLY:
            await replies.show(
                update, context, *views.tally_screen(consultation, tallies, svc.settings)
            )
        elif action.what is Manage.COMMENTS:
            comments = [c for t in tallies for c in t.comments]
            await replies.show(update, context, *views.comments_screen(consultation, comments))
        elif action.what in (Manage.PAPER, Manage.EXTEND):
            step = "paper" if action.what is Manage.PAPER else "extend"
            await awaiting.expect(update, context, step, cid)
            await replies.reply(message_of(update), views.prompt(step, consultation))
        elif action.what in (Manage.CLOSE, Manage.CANCEL):
            await replies.show(update, context, *views.are_you_sure(consultation, action.what))
        elif action.what is Manage.REPORT:
            # Built in the background: the press is answered at once, the file follows.
            task = report.send_report(update, context, officer, consultation)
            context.application.create_task(task, update=update)
            return Answer(_("Preparing the report…"))
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    return None


async def on_sure(update: Update, context: Context, action: ConsultSure) -> Answer | None:
    """Close early or cancel, confirmed; participants or everyone are told through the outbox."""
    officer = await _officer(update, context, action.consultation_id)
    svc = services(context)
    try:
        if action.what is Manage.CLOSE:
            done = await svc.consultations.close(action.consultation_id)
        else:
            done = await svc.consultations.cancel(action.consultation_id)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    await svc.access.done(officer, f"consultation:{action.what.name.lower()}", str(done.id))
    await replies.show(update, context, views.done_text(done))
    return None


async def on_comment(update: Update, context: Context, action: CommentAct) -> Answer | None:
    """Show one comment, hide it, turn it into a case, or ask for the public answer."""
    svc = services(context)
    officer = await _officer(update, context)  # before anything is read: officers only
    try:
        consultation, comment = await svc.consultations.moderated(action.comment_id)
        what, done = action.what, None
        if what is Moderate.RESPOND:
            await awaiting.expect(update, context, "respond", comment.id)
            await replies.reply(message_of(update), _("Write the public answer in one message."))
            return None
        if what is Moderate.HIDE:
            comment = await svc.consultations.hide(comment.id, officer.id)
            done = _("Hidden.")
        elif what is Moderate.CASE:
            comment, code = await svc.consultations.to_case(comment.id, officer.id)
            done = _("Case {code} opened; its author is told.").format(code=code)
    except ConsultationError as exc:
        return Answer(_(exc.text), alert=True)
    if done is not None:
        await svc.access.done(officer, f"consultation:comment:{what.name.lower()}", str(comment.id))
    await replies.show(update, context, *views.comment_screen(consultation, comment))
    return Answer(done) if done else None


async def on_step_text(update: Update, context: Context, step: str, item: int) -> None:
    """The officer's typed paper totals, new closing time or public answer to a comment."""
    svc, text = services(context), message_of(update).text or ""
    if step == "respond":
        await _respond(update, context, item, text)
        return
    officer = await _officer(update, context, item)
    try:
        consultation, _tally = await svc.consultations.results(item)
        if step == "paper":
            villages = {v.id for v in svc.settings.villages}
            totals = parse_paper(text, consultation, villages)
            await svc.consultations.enter_paper(item, totals, officer.id)
            _c, tallies = await svc.consultations.all_results(item)
            reply = views.tally_screen(consultation, tallies, svc.settings)[0]
        else:
            moment = parse_when(text, svc.clock.now(), svc.settings.timezone)
            if moment is None:
                raise WhenError("past")
            done = await svc.consultations.extend(item, moment)
            reply = views.done_text(done)
    except ConsultationError as exc:
        await awaiting.expect(update, context, step, item)  # let them try again
        reply = _(exc.text)
    except WhenError as exc:
        await awaiting.expect(update, context, step, item)
        reply = views.when_problem(exc.reason)
    await replies.reply(message_of(update), reply)


async def _respond(update: Update, context: Context, comment_id: int, text: str) -> None:
    """Store the officers' public answer to a comment and show the comment again."""
    svc = services(context)
    officer = await _officer(update, context)
    try:
        consultation, comment = await svc.consultations.moderated(comment_id)
        comment = await svc.consultations.respond(comment_id, officer.id, text)
    except ConsultationError as exc:
        await awaiting.expect(update, context, "respond", comment_id)
        await replies.reply(message_of(update), _(exc.text))
        return
    await svc.access.done(officer, "consultation:comment:respond", str(comment_id))
    text, keyboard = views.comment_screen(consultation, comment)
    await replies.reply(
        message_of(update), _("Saved: it is shown with the result.") + "\n\n" + text, keyboard
    )


async def on_compose_text(update: Update, context: Context, step: str, item: int) -> None:
    """Route an officer's awaited text: a management step, or the composer's."""
    try:
        if step in ("paper", "extend", "respond"):
            await on_step_text(update, context, step, item)
        else:
            await compose.on_text(update, context, step, item)
    except PermissionDenied:
        await replies.reply(message_of(update), _(REFUSAL))


def register(application: TelegramApp) -> None:
    router.route(application, ConsultManage, on_manage)
    router.route(application, ConsultSure, on_sure)
    router.route(application, CommentAct, on_comment)
    compose.register(application)
