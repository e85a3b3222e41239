"""Files people send on Telegram: downloaded when they arrive and kept by the bot.

The bot keeps its own copy (bot/messaging/files.py) so that an officer on
another channel can see it; Telegram's file_id is remembered only to send
the same file again on Telegram without uploading it.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.constants import FileSizeLimit

from bot.core.i18n import _
from bot.messaging.channels import TELEGRAM
from bot.messaging.files import FileStore, FileTooLarge, StoredFile, sha256_of
from bot.messaging.messages import Attachment

# A bot may download at most 20 MB from Telegram: a larger file is refused
# before anything is fetched.
DOWNLOAD_LIMIT = int(FileSizeLimit.FILESIZE_DOWNLOAD)
DOWNLOAD_LIMIT_MB = DOWNLOAD_LIMIT / 1_000_000
# Telegram re-encodes every photo as JPEG; voice notes are OGG/Opus.
KIND_MIME = {"photo": "image/jpeg", "voice": "audio/ogg"}


@dataclass(frozen=True)
class Incoming:
    """A file in a Telegram message, before it is downloaded."""

    kind: str  # photo | document | voice
    file_id: str
    size: int  # as Telegram reports it; 0 when it does not
    filename: str | None = None
    mime: str | None = None


def incoming(message: Message) -> Incoming | None:
    """The photo (its largest size), document or voice note in a message, if any."""
    if message.photo:
        largest = message.photo[-1]
        return Incoming("photo", largest.file_id, largest.file_size or 0, mime=KIND_MIME["photo"])
    if message.document:
        doc = message.document
        mime = doc.mime_type or (mimetypes.guess_type(doc.file_name)[0] if doc.file_name else None)
        return Incoming("document", doc.file_id, doc.file_size or 0, doc.file_name, mime)
    if message.voice:
        voice = message.voice
        mime = voice.mime_type or KIND_MIME["voice"]
        return Incoming("voice", voice.file_id, voice.file_size or 0, mime=mime)
    return None


def size_limit(store: FileStore) -> int:
    """The largest file the bot takes from Telegram: the store's cap, and Telegram's own."""
    return min(store.max_bytes, DOWNLOAD_LIMIT)


async def keep(bot: Bot, store: FileStore, file: Incoming) -> StoredFile:
    """Download the file and keep it; its file_id becomes the Telegram cache.

    Raises FileTooLarge (nothing fetched) when Telegram says it is over the limit.
    """
    limit = size_limit(store)
    if file.size > limit:
        raise FileTooLarge(file.size, limit)
    kept = sha256_of(file.file_id)
    if kept is not None:  # a gateway kept it on arrival (Zalo's URLs expire): nothing to fetch
        found = await store.get(kept)
        if found is not None:
            return found
    data = await download(bot, file.file_id)
    stored = await store.put(data, file.mime, file.filename)
    if sha256_of(file.file_id) is None:  # a Zalo channel names the kept file itself
        await store.remember(stored.sha256, TELEGRAM, file.file_id)
    return stored


async def download(bot: Bot, file_id: str) -> bytes:
    """The bytes of a file Telegram holds: getFile, then the /file/bot<token>/ path."""
    found = await bot.get_file(file_id)
    return bytes(await found.download_as_bytearray())


async def attachment_of(bot: Bot, store: FileStore, message: Message) -> Attachment | None:
    """The photo or document of an officer's message, kept, as an attachment to send on.

    Raises FileTooLarge when it is over the limit.
    """
    found = incoming(message)
    if found is None or found.kind == "voice":
        return None
    stored = await keep(bot, store, found)
    return Attachment(found.kind, stored.ref, found.filename)


def too_large(exc: FileTooLarge) -> str:
    """The refusal for a file over the limit."""
    mb = DOWNLOAD_LIMIT_MB if exc.limit >= DOWNLOAD_LIMIT else exc.limit / 1024 / 1024
    return _("This file is too large. Please send files of at most {mb} MB.").format(mb=f"{mb:.3g}")
