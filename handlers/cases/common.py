"""What the case handlers share: the form in the store, files in a message (kept), /cancel."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

from bot.cases.core import CaseError
from bot.cases.drafts import INTAKE, draft_from_data, draft_to_data
from bot.cases.model import Draft, FileRef, Location
from bot.cases.service import MAX_TEXT
from bot.core.i18n import N_, _
from bot.messaging.files import FileTooLarge
from handlers.telegram import commands, menu
from handlers.telegram import files as telegram_files
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)


def has_file(message: Message) -> bool:
    return telegram_files.incoming(message) is not None


async def take_file(context: Context, message: Message) -> tuple[FileRef | None, str | None]:
    """The photo, document or voice note in a message, downloaded and kept by the bot.

    Returns the file, or (None, why) when it is too large; (None, None) when
    the message carries none.
    """
    found = telegram_files.incoming(message)
    if found is None:
        return None, None
    refusal = too_big(found.size, context)
    if refusal:
        return None, refusal
    try:
        stored = await telegram_files.keep(context.bot, services(context).files, found)
    except FileTooLarge as exc:  # Telegram did not say the size; the bytes did
        return None, too_big(exc.size, context)
    return FileRef(found.kind, stored.ref, found.filename, stored.size), None


def incoming_location(message: Message) -> Location | None:
    if message.location is None:
        return None
    return Location(message.location.latitude, message.location.longitude)


def too_big(size: int, context: Context) -> str | None:
    """The refusal for a file over the size a case takes (and the bot keeps), else None."""
    svc = services(context)
    config = svc.cases.config
    limit = min(config.max_file_bytes, telegram_files.size_limit(svc.files))
    if size <= limit:
        return None
    files_mb = svc.files.max_bytes / 1024 / 1024
    mb = min(config.max_file_mb, files_mb, telegram_files.DOWNLOAD_LIMIT_MB)
    return _("This file is too large. Please send files of at most {mb} MB.").format(mb=f"{mb:g}")


def too_long(text: str) -> str | None:
    """The refusal for words past what a case's texts hold, else None (never cut silently)."""
    if len(text) <= MAX_TEXT:
        return None
    return _("That is longer than {max} characters: please shorten it and send it again.").format(
        max=MAX_TEXT
    )


def error_text(exc: CaseError) -> str:
    return _(exc.text)


async def cancel(update: Update, context: Context) -> None:
    """Drop whatever the person was in the middle of: a form, a reply, a post, a report."""
    drafts = services(context).conversations
    who = recipient_of(update, context)
    if drafts.flow_of(who) is None:
        text = _("There is nothing to cancel.")
    else:
        await drafts.clear(who)
        text = _("Cancelled. Nothing was sent.")
    await message_of(update).reply_text(text, reply_markup=menu.keyboard())


def register(application: TelegramApp) -> None:
    commands.declare("cancel", N_("Cancel the form you are filling in"), order=70)
    application.add_handler(CommandHandler("cancel", cancel, filters.ChatType.PRIVATE))


async def load_draft(context: Context, update: Update) -> Draft | None:
    """The citizen's /feedback form in progress, if any."""
    data = await services(context).conversations.get(recipient_of(update, context), INTAKE)
    return None if data is None else draft_from_data(data)


async def save(context: Context, update: Update, draft: Draft) -> None:
    await services(context).conversations.put(
        recipient_of(update, context), INTAKE, draft_to_data(draft)
    )
