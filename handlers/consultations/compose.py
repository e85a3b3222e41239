"""An officer composes a consultation, previews it as citizens will see it, confirms.

```mermaid
flowchart LR
  new[➕ New] --> title[title] --> summary[summary or document] --> question[question]
  question --> options[options, one per line] --> kind{poll, opinion,<br>household}
  kind --> audience{everyone or a village} --> opens[opening: now or date-time]
  opens --> closes[closing date-time] --> preview[invitation + recipient count]
  preview --> ok([confirm: opened, invitation queued])
  preview --> cancel([cancel: nothing sent])
```
The draft is a `consultations` row in state draft and the awaited step is in
the conversation store: a restart loses nothing. Every step checks the role
and that the draft is the officer's.
"""

from __future__ import annotations

from telegram import Message, Update

from bot.consultations import notices
from bot.consultations.actions import (
    ComposeAction,
    ComposeAudience,
    ComposeCancel,
    ComposeConfirm,
    ComposeKind,
    ComposeNew,
)
from bot.consultations.model import Kind
from bot.consultations.rules import ConsultationError
from bot.consultations.service import OFFICER_ROLES
from bot.core.i18n import _
from bot.messaging.files import FileTooLarge
from bot.outreach.audience import Audience
from bot.outreach.schedule_parse import WhenError, parse_when
from handlers.consultations import awaiting, replies
from handlers.consultations import compose_views as views
from handlers.consultations.officer_views import when_problem
from handlers.telegram import files as telegram_files
from handlers.telegram import router
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.router import Answer

ACTION = "consultation:compose"
NEXT = {"title": "summary", "summary": "question", "question": "options"}


async def on_new(update: Update, context: Context, action: ComposeNew) -> Answer | None:
    """Open a draft and ask for its title."""
    svc = services(context)
    officer = await svc.access.authorize(recipient_of(update, context), ACTION, OFFICER_ROLES)
    draft = await svc.consultations.start_draft(recipient_of(update, context), officer.id)
    await awaiting.expect(update, context, "title", draft.id)
    await replies.reply(message_of(update), views.prompt("title"))
    return None


async def on_text(update: Update, context: Context, step: str, draft_id: int) -> None:
    """Store the typed field of the draft and ask for the next one."""
    svc, message = services(context), message_of(update)
    await svc.access.authorize(recipient_of(update, context), ACTION, OFFICER_ROLES)
    try:
        reply, keyboard = await _take(update, context, step, draft_id, message)
    except ConsultationError as exc:
        await awaiting.expect(update, context, step, draft_id)
        reply, keyboard = _(exc.text), None
    except WhenError as exc:
        await awaiting.expect(update, context, step, draft_id)
        reply, keyboard = when_problem(exc.reason), None
    except FileTooLarge as exc:
        await awaiting.expect(update, context, step, draft_id)
        reply, keyboard = telegram_files.too_large(exc), None
    await replies.reply(message, reply, keyboard)


async def _take(
    update: Update, context: Context, step: str, draft_id: int, message: Message
) -> views.Screen:
    svc, who, text = (
        services(context),
        recipient_of(update, context),
        (message.text or message.caption or ""),
    )
    if step in NEXT:
        fields: dict[str, object] = {step: text.strip()}
        if step == "summary" and message.document is not None:
            # Kept by the bot, as /post's files, so any channel can send it.
            fields["document"] = await telegram_files.attachment_of(context.bot, svc.files, message)
        await svc.consultations.update_draft(who, draft_id, **fields)
        await awaiting.expect(update, context, NEXT[step], draft_id)
        return views.prompt(NEXT[step]), None
    if step == "options":
        options = tuple(line.strip() for line in text.splitlines() if line.strip())
        await svc.consultations.update_draft(who, draft_id, options=options)
        return views.kind_step(draft_id)
    moment = parse_when(text, svc.clock.now(), svc.settings.timezone)
    if step == "opens":
        await svc.consultations.update_draft(who, draft_id, opens_at=moment)
        await awaiting.expect(update, context, "closes", draft_id)
        return views.prompt("closes"), None
    if moment is None:
        raise WhenError("past")
    draft = await svc.consultations.update_draft(who, draft_id, closes_at=moment)
    await _preview(update, context, draft.id)
    return _("Check the preview above, then confirm."), None


async def on_button(update: Update, context: Context, action: ComposeAction) -> Answer | None:
    """Kind, audience, confirm or cancel, after checking the draft is the officer's."""
    svc, who = services(context), recipient_of(update, context)
    officer = await svc.access.authorize(who, ACTION, OFFICER_ROLES)
    try:
        await svc.consultations.draft(who, action.draft_id)
        if isinstance(action, ComposeKind):
            await svc.consultations.update_draft(who, action.draft_id, kind=Kind(action.kind))
            await replies.show(update, context, *views.audience_step(svc.settings, action.draft_id))
        elif isinstance(action, ComposeAudience):
            ids = () if action.village_id is None else (action.village_id,)
            audience = Audience("village", ids) if ids else Audience()
            Audience.parse(str(audience), svc.settings)  # refuses a forged village
            await svc.consultations.update_draft(who, action.draft_id, audience=audience)
            await awaiting.expect(update, context, "opens", action.draft_id)
            await replies.show(update, context, views.prompt("opens"))
        elif isinstance(action, ComposeConfirm):
            opened = await svc.consultations.launch(action.draft_id)
            await svc.access.done(officer, "consultation:open", str(opened.id))
            await replies.show(update, context, views.opened(opened, svc.settings))
        else:
            await svc.consultations.cancel(action.draft_id)
            await replies.show(update, context, _("Cancelled. Nothing was sent."))
    except (ConsultationError, ValueError) as exc:
        text = _(exc.text) if isinstance(exc, ConsultationError) else _("Please try again.")
        return Answer(text, alert=True)
    return None


async def _preview(update: Update, context: Context, draft_id: int) -> None:
    """The invitation exactly as citizens get it, then the count and the confirm button."""
    svc = services(context)
    draft = await svc.consultations.draft(recipient_of(update, context), draft_id)
    message = notices.invitation(draft, svc.settings.timezone)
    await TelegramChannel(context.bot, files=svc.files).send(recipient_of(update, context), message)
    count = await svc.consultations.eligible(draft.kind, draft.audience)
    text, keyboard = views.preview(draft, count)
    await replies.reply(message_of(update), text, keyboard)


def register(application: TelegramApp) -> None:
    router.route(application, ComposeNew, on_new)
    for action in (ComposeKind, ComposeAudience, ComposeConfirm, ComposeCancel):
        router.route(application, action, on_button)
