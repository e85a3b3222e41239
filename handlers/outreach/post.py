"""`/post`: an officer composes a broadcast, previews it as citizens will see it, confirms.

```mermaid
flowchart LR
  post[/post] --> content{text, photo, document<br>or library item}
  content --> topic[topic] --> audience{everyone,<br>villages, topics}
  audience --> when{now or typed<br>date-time}
  when --> preview[preview + count] --> ok([confirm: queued or scheduled])
  preview --> cancel([cancel])
```

The draft lives in SQLite (`broadcasts`, state `draft`), and so does which
officer's next message belongs to which draft and step (a conversation in
`bot.messaging.conversations`): a restart loses neither. Every button checks
the officer's role on the server and that the draft is theirs and still open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.i18n import N_, _, current_language, use_language
from bot.messaging.files import FileTooLarge
from bot.messaging.messages import OutgoingMessage
from bot.outreach.actions import (
    AudienceChoice,
    PostAction,
    PostAudience,
    PostAudienceDone,
    PostCancel,
    PostConfirm,
    PostItem,
    PostLater,
    PostLibrary,
    PostNow,
    PostToggle,
    PostToggleTopic,
    PostToggleVillage,
    PostTopic,
)
from bot.outreach.audience import TOPICS, VILLAGES, Audience
from bot.outreach.broadcasts import Broadcast, DraftGone
from bot.outreach.library.render import item_message
from bot.outreach.schedule_parse import WhenError, parse_when
from bot.people.officers import Officer, Role
from bot.services import Services
from handlers.outreach import admin_views as views
from handlers.outreach.admin import confirm_and_watch
from handlers.telegram import commands, router
from handlers.telegram import files as telegram_files
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.guard import officer_only
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer

ROLES = (Role.CULTURE, Role.CHAIRMAN)
FLOW = "post"  # the conversation: {"step": "content" or "when", "draft": its id}
LIBRARY_PAGE = 6


async def expect(update: Update, context: Context, step: str, draft_id: int) -> None:
    """Take the officer's next message as the draft's content, or its date-time."""
    data = {"step": step, "draft": draft_id}
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)


async def expect_nothing(update: Update, context: Context) -> None:
    """The officer's next message is no longer part of the draft (another flow is left alone)."""
    await services(context).conversations.clear(recipient_of(update, context), FLOW)


@officer_only("broadcast:compose", *ROLES)
async def start_post(update: Update, context: Context, officer: Officer) -> None:
    """Open a draft and ask for its content."""
    draft = await services(context).broadcasts.start_draft(
        recipient_of(update, context), officer.id
    )
    await expect(update, context, "content", draft.id)
    text, keyboard = views.content_prompt(draft.id)
    await message_of(update).reply_text(text, reply_markup=keyboard)


@officer_only("broadcast:compose", *ROLES)
async def on_input(update: Update, context: Context, officer: Officer) -> None:
    """Take the draft's content, or the date-time typed for it."""
    message, svc = message_of(update), services(context)
    data = await svc.conversations.get(recipient_of(update, context), FLOW) or {}
    step, draft_id = data.get("step"), int(data.get("draft", 0))
    try:
        if step == "content":
            try:
                content = await outgoing(context, message)
            except FileTooLarge as exc:
                await message.reply_text(telegram_files.too_large(exc))
                return
            await svc.broadcasts.update_draft(
                recipient_of(update, context), draft_id, message=content, item_id=None
            )
            await expect_nothing(update, context)
            text, keyboard = views.topic_step(svc.settings, draft_id, current_language())
            await message.reply_text(text, reply_markup=keyboard)
        elif step == "when":
            await _take_when(update, context, draft_id)
    except DraftGone:
        await expect_nothing(update, context)
        await message.reply_text(_("This draft is no longer open. Send /post to start again."))


async def outgoing(context: Context, message: Message) -> OutgoingMessage:
    """The officer's message as citizens will get it, formatting kept; its file kept by the bot."""
    svc = services(context)
    attachment = await telegram_files.attachment_of(context.bot, svc.files, message)
    if attachment is None:
        return OutgoingMessage(text=message.text_html, html=True)
    caption = message.caption_html if message.caption else ""
    return OutgoingMessage(text=caption, html=True, attachment=attachment)


async def _take_when(update: Update, context: Context, draft_id: int) -> None:
    svc, message = services(context), message_of(update)
    try:
        moment = parse_when(message.text or "", svc.clock.now(), svc.settings.timezone)
    except WhenError as exc:
        await message.reply_text(views.when_problem(exc.reason))
        return
    draft = await svc.broadcasts.update_draft(
        recipient_of(update, context), draft_id, send_at=moment
    )
    await expect_nothing(update, context)
    echo = _("Scheduled for: {when}").format(when=views.when_text(moment, svc.settings))
    await message.reply_text(echo)
    await _preview(update, context, draft)


@dataclass
class Step:
    """A pressed composer button: who, and which draft (checked to be theirs and open)."""

    update: Update
    context: Context
    officer: Officer
    draft: Broadcast

    @property
    def svc(self) -> Services:
        return services(self.context)

    async def save(self, **fields: object) -> Broadcast:
        self.draft = await self.svc.broadcasts.update_draft(
            self.draft.author, self.draft.id, **fields
        )
        return self.draft

    async def show(self, screen: tuple[str, InlineKeyboardMarkup | None]) -> None:
        await edit(self.update, self.context, *screen)


async def on_button(update: Update, context: Context, action: PostAction) -> Answer | None:
    """Route a composer button to its step, after checking the draft is this officer's."""
    svc = services(context)
    officer = await svc.access.authorize(
        recipient_of(update, context), "broadcast:compose", frozenset(ROLES)
    )
    try:
        draft = await svc.broadcasts.draft(recipient_of(update, context), action.draft_id)
        alert = await ACTIONS[type(action)](Step(update, context, officer, draft), action)
    except (DraftGone, LookupError, ValueError):
        alert = _("This draft is no longer open. Send /post to start again.")
    return Answer(alert, alert=alert is not None)


async def _library(step: Step, action: PostLibrary) -> str | None:
    offset = action.offset
    items, total = await step.svc.library.page(offset, LIBRARY_PAGE)
    await step.show(views.library_picker(step.draft.id, items, offset, total, LIBRARY_PAGE))
    return None


async def _item(step: Step, action: PostItem) -> str | None:
    item = await step.svc.library.get(action.item_id)
    if item is None:
        raise LookupError(action.item_id)
    with use_language(step.svc.settings.default_language):  # citizens read the button
        message = item_message(item, _("📖 Read more"))
    topic = next((t for t in item.topics if step.svc.settings.topic(t)), None)
    await step.save(message=message, item_id=item.id, topic_id=topic)
    await expect_nothing(step.update, step.context)
    await step.show(views.topic_step(step.svc.settings, step.draft.id, current_language()))
    return None


async def _topic(step: Step, action: PostTopic) -> str | None:
    if action.topic_id is not None and step.svc.settings.topic(action.topic_id) is None:
        raise LookupError(action.topic_id)
    await step.save(topic_id=action.topic_id)
    await step.show(views.audience_step(step.draft.id))
    return None


async def _audience(step: Step, action: PostAudience) -> str | None:
    if action.choice is AudienceChoice.EVERYONE:
        await step.save(audience=Audience())
        await step.show(views.when_step(step.draft.id))
    else:
        await _picker(step, VILLAGES if action.choice is AudienceChoice.VILLAGES else TOPICS)
    return None


async def _picker(step: Step, kind: str) -> None:
    screen = views.audience_picker(
        step.svc.settings, step.draft.id, step.draft.audience, kind, current_language()
    )
    await step.show(screen)


async def _toggle(step: Step, action: PostToggle) -> str | None:
    kind = VILLAGES if isinstance(action, PostToggleVillage) else TOPICS
    audience = step.draft.audience.toggled(kind, action.option)
    if audience.ids:
        Audience.parse(str(audience), step.svc.settings)  # refuses unknown (forged) ids
        await step.save(audience=audience)
    else:
        await step.save(audience=Audience())
    await _picker(step, kind)
    return None


async def _audience_done(step: Step, action: PostAudienceDone) -> str | None:
    if step.draft.audience.kind == "all":
        return _("Choose at least one.")
    await step.show(views.when_step(step.draft.id))
    return None


async def _now(step: Step, action: PostNow) -> str | None:
    await step.save(send_at=None)
    await _preview(step.update, step.context, step.draft)
    return None


async def _later(step: Step, action: PostLater) -> str | None:
    await expect(step.update, step.context, "when", step.draft.id)
    await step.show((views.when_prompt(), None))
    return None


async def _preview(update: Update, context: Context, draft: Broadcast) -> None:
    """Send the post exactly as citizens get it, then the figures and the confirm button."""
    svc = services(context)
    if draft.message is None:
        raise DraftGone(draft.id)
    await reply_channel(context).send(recipient_of(update, context), draft.message)
    count = await svc.broadcasts.count(draft.audience)
    outside = await svc.broadcasts.outside(draft.audience)
    text, keyboard = views.preview_summary(
        svc.settings, draft, count, current_language(), outside=outside
    )
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def _confirm(step: Step, action: PostConfirm) -> str | None:
    return await confirm_and_watch(step.update, step.context, step.officer, step.draft)


async def _cancel(step: Step, action: PostCancel) -> str | None:
    await step.svc.broadcasts.cancel(step.draft.id)
    await expect_nothing(step.update, step.context)
    await step.show((_("Cancelled. Nothing was sent."), None))
    return None


ACTIONS: dict[type[PostAction], Callable[[Step, Any], Awaitable[str | None]]] = {
    PostLibrary: _library,
    PostItem: _item,
    PostTopic: _topic,
    PostAudience: _audience,
    PostToggleVillage: _toggle,
    PostToggleTopic: _toggle,
    PostAudienceDone: _audience_done,
    PostNow: _now,
    PostLater: _later,
    PostConfirm: _confirm,
    PostCancel: _cancel,
}


def register(application: TelegramApp) -> None:
    commands.declare("post", N_("Compose and send a post to citizens"), *ROLES, order=120)
    pending = InFlow(application, FLOW, forwards=True)
    content = (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("post", start_post, private))
    application.add_handler(MessageHandler(private & content & pending, on_input))
    for action in ACTIONS:
        router.route(application, action, on_button)
