"""Officers watch broadcasts: confirm and progress, `/scheduled` with cancel, `/broadcasts`."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Bot, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, filters

from bot.core.config import Settings
from bot.core.i18n import N_, _, current_language, format_number, use_language
from bot.messaging.channels import ChannelSpec, Recipient
from bot.messaging.delivery import Progress, ProgressListener
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Pause
from bot.outreach.actions import BroadcastCancel
from bot.outreach.broadcasts import Broadcast, DraftGone
from bot.people.officers import Officer, Role
from bot.services import Services
from handlers.outreach import admin_views as views
from handlers.telegram import commands, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.guard import officer_only
from handlers.telegram.keyboards import button
from handlers.telegram.replies import drop_buttons, edit, rewrite, show_progress
from handlers.telegram.router import Answer

log = logging.getLogger(__name__)
ROLES = (Role.CULTURE, Role.CHAIRMAN)


async def confirm_and_watch(
    update: Update, context: Context, officer: Officer, draft: Broadcast
) -> str | None:
    """Confirm the draft and leave a message that the sender keeps up to date.

    The message exists before the broadcast is queued, so even a broadcast
    that ends at once finds it to report into.
    """
    svc = services(context)
    await drop_buttons(update, context)  # the buttons cannot be pressed twice
    count = await svc.broadcasts.count(draft.audience)
    if draft.send_at is not None and draft.send_at > svc.clock.now():
        text = _("🗓 Broadcast #{id} is scheduled for {when}. /scheduled lists it.").format(
            id=draft.id, when=views.when_text(draft.send_at, svc.settings)
        )
    elif count == 0:
        text = _("No subscribed citizen matches this audience: nothing was sent.")
    else:  # as the preview said: those outside Zalo's window are not sent to
        reached = count - await svc.broadcasts.outside(draft.audience)
        text = _("📣 Broadcast #{id}: sending to {count} citizens…").format(
            id=draft.id, count=format_number(reached)
        )
    watch = await message_of(update).reply_text(text)
    await svc.broadcasts.set_progress_message(draft.id, str(watch.chat_id), str(watch.message_id))
    try:
        await svc.broadcasts.confirm(draft.author, draft.id)
    except DraftGone:
        await rewrite(context, watch, _("This draft is no longer open. Send /post to start again."))
        return None
    await svc.access.done(officer, "broadcast:confirm", str(draft.id), str(draft.audience))
    return None


def progress_listener(bot: Bot, channel: ChannelSpec, svc: Services) -> ProgressListener:
    """Edit the officer's progress message; send a final report when done.

    `bot` speaks for `channel`: an author on another channel, or on one that
    cannot edit, gets the final report only.
    """

    async def show(progress: Progress) -> None:
        broadcast = await svc.broadcasts.get(progress.broadcast_id)
        if broadcast is None or not broadcast.progress_chat or not broadcast.progress_message:
            return
        officer = await svc.officers.get(broadcast.author)
        published = await svc.publications.of(broadcast.id) if progress.finished else []
        with use_language(officer.language if officer else svc.settings.default_language):
            text = "\n".join(
                [views.progress_text(progress, svc.settings), *views.publication_lines(published)]
            )
            # The report is sent once, as a new message (an edit makes no sound);
            # the note it replaces says so instead of repeating it.
            note = views.progress_closed_text(progress.broadcast_id) if progress.finished else text
        chat, message_id = int(broadcast.progress_chat), int(broadcast.progress_message)
        try:
            if broadcast.author.channel == channel.name:
                await show_progress(bot, channel, chat, message_id, note)
        except TelegramError as exc:
            log.warning("cannot show progress of broadcast %d: %s", broadcast.id, exc)
        if progress.finished:
            recipient = Recipient(broadcast.author.channel, broadcast.progress_chat)
            await svc.notifier.notify(recipient, OutgoingMessage(text))

    return show


async def tell_publication(svc: Services, broadcast_id: int) -> None:
    """Tell a broadcast's author what became of it on a channel's feed (the OA's article),
    in the chat of its report; one from the command line has none (`/broadcasts` shows it)."""
    broadcast = await svc.broadcasts.get(broadcast_id)
    publications = await svc.publications.of(broadcast_id)
    if broadcast is None or not broadcast.progress_chat:
        return
    if not views.publication_lines(publications):
        return
    officer = await svc.officers.get(broadcast.author)
    with use_language(officer.language if officer else svc.settings.default_language):
        head = _("📣 Broadcast #{id}").format(id=broadcast_id)
        text = "\n".join([head, *views.publication_lines(publications)])
    recipient = Recipient(broadcast.author.channel, broadcast.progress_chat)
    await svc.notifier.notify(recipient, OutgoingMessage(text))


def scheduled_view(
    svc: Services, items: list[Broadcast]
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not items:
        return _("No posts are scheduled."), None
    lines = [_("Scheduled posts:")]
    lines += [views.broadcast_line(svc.settings, b, current_language()) for b in items]
    buttons = [[button(_("✖ Cancel #{id}").format(id=b.id), BroadcastCancel(b.id))] for b in items]
    return "\n\n".join(lines), InlineKeyboardMarkup(buttons)


@officer_only("broadcast:scheduled", *ROLES)
async def show_scheduled(update: Update, context: Context, officer: Officer) -> None:
    """List the scheduled posts, each with a cancel button."""
    svc = services(context)
    text, keyboard = scheduled_view(svc, await svc.broadcasts.scheduled())
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_cancel(update: Update, context: Context, action: BroadcastCancel) -> Answer | None:
    """Cancel a scheduled post, if it has not started."""
    svc = services(context)
    officer = await svc.access.authorize(
        recipient_of(update, context), "broadcast:cancel", frozenset(ROLES)
    )
    target = str(action.broadcast_id)
    if not await svc.broadcasts.cancel(action.broadcast_id):
        return Answer(_("This post can no longer be cancelled."), alert=True)
    await svc.access.done(officer, "broadcast:cancel", target)
    text, keyboard = scheduled_view(svc, await svc.broadcasts.scheduled())
    await edit(update, context, text, keyboard)
    return Answer(_("Cancelled. Nothing was sent."))


@officer_only("broadcast:list", *ROLES)
async def show_broadcasts(update: Update, context: Context, officer: Officer) -> None:
    """List recent broadcasts with their delivery figures."""
    svc = services(context)
    recent = await svc.broadcasts.recent(10)
    lines = [paused_line(pause, svc.settings) for pause in await svc.outbox.pauses()]
    if not recent:
        await message_of(update).reply_text("\n\n".join([*lines, _("No broadcasts yet.")]))
        return
    lines.append(_("Recent broadcasts:"))
    for broadcast, counts in recent:
        line = views.broadcast_line(svc.settings, broadcast, current_language())
        published = views.publication_lines(await svc.publications.of(broadcast.id))
        lines.append("\n".join([line, views.counts_text(counts, svc.settings), *published]))
    await message_of(update).reply_text("\n\n".join(lines))


def paused_line(pause: Pause, settings: Settings) -> str:
    """The sender holds a channel that refuses the bot itself (bad token, wrong API root)."""
    since = datetime.fromtimestamp(pause.since, UTC)
    return _(
        "⏸ Sending on {channel} is paused since {when}: {reason}. "
        "Check BOT_TOKEN and BOT_API_URL; the bot keeps trying and resumes by itself."
    ).format(channel=pause.channel, when=views.when_text(since, settings), reason=pause.reason)


def register(application: TelegramApp) -> None:
    commands.declare("scheduled", N_("Scheduled posts"), *ROLES, order=121)
    commands.declare("broadcasts", N_("Past broadcasts and their figures"), *ROLES, order=122)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("scheduled", show_scheduled, private))
    application.add_handler(CommandHandler("broadcasts", show_broadcasts, private))
    router.route(application, BroadcastCancel, on_cancel)
