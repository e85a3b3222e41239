"""An officer announces a dialogue or voter meeting, previews it with its reach, confirms.

```mermaid
flowchart LR
  new[➕ dialogue or voter meeting] --> title[title] --> starts[date-time] --> place[place]
  place --> who[who attends: the chairman, the deputies] --> audience{everyone,<br>villages, topics}
  audience --> closes[questions close: date-time before the meeting]
  closes --> preview[announcement + recipient count]
  preview --> ok([announce: queued through the outbox with ❓ Send a question])
  preview --> discard([discard: nothing sent])
```
The draft is a `dialogues` row in state draft and the awaited step is in the
conversation store: a restart loses nothing. Every step checks the role and
that the draft is the officer's.
"""

from __future__ import annotations

from telegram import Update

from bot.core.i18n import _
from bot.dialogues import notices
from bot.dialogues.actions import (
    ComposeAction,
    DialogueAudience,
    DialogueAudienceDone,
    DialogueConfirm,
    DialogueDiscard,
    DialogueNew,
)
from bot.dialogues.model import Dialogue, Kind
from bot.dialogues.rules import BAD_START, NO_TITLE, DialogueError, check_new, toggle_audience
from bot.dialogues.service import OFFICER_ROLES
from bot.outreach.audience import Audience
from bot.outreach.schedule_parse import WhenError, parse_when
from handlers.consultations.officer_views import when_problem
from handlers.dialogues import awaiting, views
from handlers.telegram import router
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

ACTION = "dialogue:compose"
NEXT = {"title": "starts", "starts": "place", "place": "attendees"}
STEPS = frozenset({*NEXT, "attendees", "closes"})


async def on_new(update: Update, context: Context, action: DialogueNew) -> Answer | None:
    """Open a draft of the chosen kind and ask for its title."""
    svc, who = services(context), recipient_of(update, context)
    officer = await svc.access.authorize(who, ACTION, OFFICER_ROLES)
    if action.kind not in set(Kind):
        return Answer(_("Please try again."), alert=True)
    draft = await svc.dialogues.start_draft(who, officer.id, Kind(action.kind))
    await awaiting.expect(update, context, "title", draft.id)
    await reply(message_of(update), views.compose_prompt("title", draft.kind))
    return None


async def on_text(update: Update, context: Context, step: str, draft_id: int) -> None:
    """Store the typed field of the draft and ask for the next one (or show the preview)."""
    svc, who = services(context), recipient_of(update, context)
    await svc.access.authorize(who, ACTION, OFFICER_ROLES)
    try:
        draft = await _store(update, context, step, draft_id)
    except DialogueError as exc:
        await awaiting.expect(update, context, step, draft_id)
        await reply(message_of(update), exc.shown())
        return
    except WhenError as exc:
        await awaiting.expect(update, context, step, draft_id)
        await reply(message_of(update), when_problem(exc.reason))
        return
    if step in NEXT:
        await awaiting.expect(update, context, NEXT[step], draft_id)
        await reply(message_of(update), views.compose_prompt(NEXT[step], draft.kind))
    elif step == "attendees":
        await reply(message_of(update), *views.audience_step(svc.settings, draft))
    else:
        await _preview(update, context, draft)


async def _store(update: Update, context: Context, step: str, draft_id: int) -> Dialogue:
    """Check and store one typed field; times are checked as soon as they are typed."""
    svc, who = services(context), recipient_of(update, context)
    text, now = (message_of(update).text or "").strip(), svc.clock.now()
    draft = await svc.dialogues.draft(who, draft_id)
    if step not in ("starts", "closes"):
        if not text:
            raise DialogueError(NO_TITLE)
        return await svc.dialogues.update_draft(who, draft_id, **{step: text})
    moment = parse_when(text, now, svc.settings.timezone)
    if step == "starts":
        if moment is None or moment <= now:
            raise DialogueError(BAD_START)
        return await svc.dialogues.update_draft(who, draft_id, starts_at=moment)
    check_new(draft.title, draft.starts_at, moment, now)
    return await svc.dialogues.update_draft(who, draft_id, questions_close_at=moment)


async def on_button(update: Update, context: Context, action: ComposeAction) -> Answer | None:
    """Audience, confirm or discard, after checking the draft is the officer's."""
    svc, who = services(context), recipient_of(update, context)
    officer = await svc.access.authorize(who, ACTION, OFFICER_ROLES)
    try:
        draft = await svc.dialogues.draft(who, action.draft_id)
        if isinstance(action, DialogueAudience):
            audience = toggle_audience(draft.audience, action.scope, action.item)
            Audience.parse(str(audience), svc.settings)  # refuses a forged village or topic
            draft = await svc.dialogues.update_draft(who, draft.id, audience=audience)
            await edit(update, context, *views.audience_step(svc.settings, draft), html=True)
        elif isinstance(action, DialogueAudienceDone):
            await awaiting.expect(update, context, "closes", draft.id)
            await edit(update, context, views.compose_prompt("closes", draft.kind), html=True)
        elif isinstance(action, DialogueConfirm):
            announced = await svc.dialogues.announce(draft.id)
            await svc.access.done(officer, "dialogue:announce", str(announced.id))
            await edit(
                update, context, views.announced(announced, svc.settings.timezone), html=True
            )
        else:
            await svc.dialogues.cancel(draft.id)
            await edit(update, context, _("Discarded. Nothing was sent."), html=True)
    except DialogueError as exc:
        return Answer(exc.shown(), alert=True)
    except ValueError:
        return Answer(_("Please try again."), alert=True)
    return None


async def _preview(update: Update, context: Context, draft: Dialogue) -> None:
    """The announcement exactly as citizens get it, then the reach and the confirm button."""
    svc, who = services(context), recipient_of(update, context)
    message = notices.announcement(draft, svc.settings.timezone)
    await reply_channel(context).send(who, message)
    count = await svc.dialogues.reach(draft.audience)
    outside = await svc.broadcasts.outside(draft.audience)
    await reply(message_of(update), *views.preview(draft, count - outside, outside, svc.settings))


def register(application: TelegramApp) -> None:
    router.route(application, DialogueNew, on_new)
    for action in (DialogueAudience, DialogueAudienceDone, DialogueConfirm, DialogueDiscard):
        router.route(application, action, on_button)
