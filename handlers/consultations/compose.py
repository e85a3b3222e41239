"""An officer composes a consultation, previews it as citizens will see it, confirms.

```mermaid
flowchart LR
  new[➕ New] --> title[title] --> summary[summary or document] --> question[question]
  question --> type{one choice, several,<br>agree/disagree/abstain, free}
  type -- choices --> options[options, one per line] --> more{another question?}
  type -- agree / free --> more
  more -- yes --> question
  more -- "no, one choice question" --> kind{poll, opinion,<br>household}
  more -- "no, several or free" --> audience
  kind --> audience{everyone, or villages / topics toggled}
  audience -- opinion --> public{comments public<br>after moderation?} --> opens
  audience -- other kinds --> opens[opening: now or date-time]
  opens --> closes[closing date-time] --> preview[invitation + recipient count]
  preview --> ok([confirm: opened, invitation queued])
  preview --> cancel([cancel: nothing sent])
```
The draft is a `consultations` row in state draft and the awaited step is in
the conversation store: a restart loses nothing. Every step checks the role
and that the draft is the officer's.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, Update

from bot.consultations import notices, rules
from bot.consultations.actions import (
    ComposeAction,
    ComposeAudience,
    ComposeCancel,
    ComposeConfirm,
    ComposeKind,
    ComposeMore,
    ComposeNew,
    ComposePublic,
    ComposeQuestionType,
    ComposeTarget,
    ComposeTargetDone,
    ComposeTopic,
    ComposeVillage,
)
from bot.consultations.model import CHOICE_TYPES, Consultation, Kind, Question, QuestionType
from bot.consultations.rules import ConsultationError
from bot.consultations.service import OFFICER_ROLES, ConsultationService
from bot.core.i18n import _, use_language
from bot.messaging.channels import Recipient
from bot.messaging.files import FileTooLarge
from bot.outreach.audience import TOPICS, VILLAGES, Audience
from bot.outreach.schedule_parse import WhenError, parse_when
from handlers.consultations import awaiting, replies
from handlers.consultations import compose_views as views
from handlers.consultations.officer_views import when_problem
from handlers.telegram import files as telegram_files
from handlers.telegram import router
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.router import Answer

ACTION = "consultation:compose"
NEXT = {"title": "summary", "summary": "question"}


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
    if step in ("question", "options"):
        return await _take_question(svc.consultations, who, draft_id, step, text)
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


async def _take_question(
    consultations: ConsultationService, who: Recipient, draft_id: int, step: str, text: str
) -> views.Screen:
    """A question's text (its type asked next), or the options of the last question."""
    draft = await consultations.draft(who, draft_id)
    if step == "question":
        if not text.strip():
            raise ConsultationError(rules.EMPTY_QUESTION)
        asked = (*draft.questions, Question(QuestionType.SINGLE, text.strip()))
        if len(asked) > rules.MAX_QUESTIONS:
            raise ConsultationError(rules.NO_QUESTION)
        await consultations.update_draft(who, draft_id, questions=asked)
        return views.type_step(draft_id)
    if not draft.questions:
        raise ConsultationError(rules.NO_QUESTION)
    options = tuple(line.strip() for line in text.splitlines() if line.strip())
    last = replace(draft.questions[-1], options=options)
    rules.check_questions(Kind.OPINION, (last,))  # 2 to 8 options, asked again if not
    draft = await consultations.update_draft(who, draft_id, questions=(*draft.questions[:-1], last))
    return views.more_step(draft)


async def on_button(update: Update, context: Context, action: ComposeAction) -> Answer | None:
    """Kind, audience, confirm or cancel, after checking the draft is the officer's."""
    svc, who = services(context), recipient_of(update, context)
    officer = await svc.access.authorize(who, ACTION, OFFICER_ROLES)
    try:
        draft = await svc.consultations.draft(who, action.draft_id)
        if isinstance(action, ComposeQuestionType | ComposeMore):
            await _question_step(update, context, draft, action)
        elif isinstance(action, ComposeKind):
            draft = await svc.consultations.update_draft(who, draft.id, kind=Kind(action.kind))
            await replies.show(update, context, *views.audience_step(svc.settings, draft))
        elif isinstance(action, ComposeAudience | ComposeTarget | ComposeTargetDone):
            await _audience_step(update, context, draft, action)
        elif isinstance(action, ComposePublic):
            await svc.consultations.update_draft(who, draft.id, public_comments=action.on)
            await awaiting.expect(update, context, "opens", draft.id)
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


async def _question_step(
    update: Update, context: Context, draft: Consultation, action: ComposeQuestionType | ComposeMore
) -> None:
    """A question's type (its options asked next), then another question or the kind."""
    svc, who = services(context), recipient_of(update, context)
    if isinstance(action, ComposeQuestionType):
        kind = QuestionType(action.type)
        with use_language(svc.settings.default_language):  # the labels citizens read
            yesno = tuple(_(label) for label in rules.YESNO_LABELS)
        last = Question(kind, draft.questions[-1].text, yesno if kind is QuestionType.YESNO else ())
        draft = await svc.consultations.update_draft(
            who, draft.id, questions=(*draft.questions[:-1], last)
        )
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            await awaiting.expect(update, context, "options", draft.id)
            await replies.show(update, context, views.prompt("options"))
        else:
            await replies.show(update, context, *views.more_step(draft))
    elif action.more:
        await awaiting.expect(update, context, "question", draft.id)
        await replies.show(update, context, views.prompt("next_question"))
    elif len(draft.questions) == 1 and draft.questions[0].type in CHOICE_TYPES:
        await replies.show(update, context, *views.kind_step(draft.id))
    else:  # several questions or free comments: only an opinion asks them
        draft = await svc.consultations.update_draft(who, draft.id, kind=Kind.OPINION)
        await replies.show(update, context, *views.audience_step(svc.settings, draft))


async def _audience_step(
    update: Update,
    context: Context,
    draft: Consultation,
    action: ComposeAudience | ComposeTarget | ComposeTargetDone,
) -> None:
    """Toggle villages or topics (the screen shown again), or settle on the audience."""
    svc, who = services(context), recipient_of(update, context)
    if isinstance(action, ComposeTarget):
        kind = VILLAGES if isinstance(action, ComposeVillage) else TOPICS
        audience = draft.audience.toggled(kind, action.item)
        if audience.ids:
            Audience.parse(str(audience), svc.settings)  # refuses a forged village or topic
        else:
            audience = Audience()
        draft = await svc.consultations.update_draft(who, draft.id, audience=audience)
        await replies.show(update, context, *views.audience_step(svc.settings, draft))
        return
    if isinstance(action, ComposeAudience):
        ids = () if action.village_id is None else (action.village_id,)
        audience = Audience(VILLAGES, ids) if ids else Audience()
        Audience.parse(str(audience), svc.settings)
        draft = await svc.consultations.update_draft(who, draft.id, audience=audience)
    if draft.kind is Kind.OPINION:
        await replies.show(update, context, *views.public_step(draft.id))
        return
    await awaiting.expect(update, context, "opens", draft.id)
    await replies.show(update, context, views.prompt("opens"))


async def _preview(update: Update, context: Context, draft_id: int) -> None:
    """The invitation exactly as citizens get it, then the count and the confirm button."""
    svc = services(context)
    draft = await svc.consultations.draft(recipient_of(update, context), draft_id)
    message = notices.invitation(draft, svc.settings.timezone)
    await reply_channel(context).send(recipient_of(update, context), message)
    count = await svc.consultations.eligible(draft.kind, draft.audience)
    # Households are counted as configured; citizens as the sender will reach them.
    outside = 0 if draft.kind is Kind.HOUSEHOLD else await svc.broadcasts.outside(draft.audience)
    text, keyboard = views.preview(draft, count - outside, outside, svc.settings)
    await replies.reply(message_of(update), text, keyboard)


def register(application: TelegramApp) -> None:
    router.route(application, ComposeNew, on_new)
    for action in (
        ComposeKind, ComposeAudience, ComposeConfirm, ComposeCancel, ComposeQuestionType,
        ComposeMore, ComposeVillage, ComposeTopic, ComposeTargetDone, ComposePublic,
    ):  # fmt: skip
        router.route(application, action, on_button)
