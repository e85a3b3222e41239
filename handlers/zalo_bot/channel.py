"""The outbox sender's way to Zalo Bot users: one message now, refusals through `classify`."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from bot.core.clock import Clock
from bot.core.config import ZaloBotSettings
from bot.core.db import Database
from bot.core.i18n import use_language
from bot.messaging.channels import ZALO_BOT_SPEC, Recipient
from bot.messaging.choices import ChoiceStore
from bot.messaging.files import is_legacy, sha256_of
from bot.messaging.markup import to_plain
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from handlers.telegram import words
from handlers.telegram.plain_request import LanguageOf, message_lines
from handlers.zalo_bot import translate
from handlers.zalo_bot.api import ZaloBotApi
from handlers.zalo_bot.errors import ZaloApiError, classify
from handlers.zalo_bot.gateway import attachment_note, report_note
from handlers.zalo_bot.ids import ZaloIds


class ZaloBotChannel:
    """Sends the domain's messages as Zalo texts (and photos with a public URL).

    The recipient's external id is the number the id map gave their Zalo id.
    Zalo shows no buttons: a message's buttons become numbered lines, worded
    in the recipient's language, and the list is recorded for the chat
    (`choices`: the table the handlers read) so that a number typed back is
    the press of that button, as for the application's own messages.
    The pace (ZALO_BOT_SPEC.rate, messages a second) is the outbox sender's:
    it claims a row only when the row may go, so no send waits here.
    """

    name = ZALO_BOT_SPEC.name

    def __init__(
        self,
        api: ZaloBotApi,
        ids: ZaloIds,
        choices: ChoiceStore | None = None,
        language: LanguageOf | None = None,
    ) -> None:
        self._api = api
        self._ids = ids
        self._choices = choices
        self._language = language

    @classmethod
    def open(
        cls,
        zalo: ZaloBotSettings,
        db: Database,
        clock: Clock,
        choices: ChoiceStore | None = None,
        language: LanguageOf | None = None,
    ) -> ZaloBotChannel:
        """A channel with a connection pool of its own; `close` it at the end."""
        assert zalo.token is not None
        return cls(ZaloBotApi(zalo.token, zalo.api_url), ZaloIds(db, clock), choices, language)

    async def close(self) -> None:
        await self._api.close()

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        chat = await self._chat(recipient)
        try:
            return await self._send(recipient.external_id, chat, message)
        except ZaloApiError as exc:
            raise classify(exc) from exc

    async def _chat(self, recipient: Recipient) -> str:
        number = int(recipient.external_id) if recipient.external_id.isdigit() else None
        found = await self._ids.zalo(number) if number is not None else None
        if found is None:
            raise DeliveryError(f"no Zalo id for {recipient.external_id!r}", Verdict.FAILED)
        return found

    async def _send(self, number: str, chat: str, message: OutgoingMessage) -> str:
        """A photo by URL first, then the text in parts of 2,000, the numbered lines on the last."""
        text = to_plain(message.text) if message.html else str(message.text)
        attachment = message.attachment
        with await self._in_language(number):
            text = words.spoken(text)  # no slashes on Zalo: "gửi “tra cứu” PA-…"
            if attachment is not None and not _by_url(attachment):
                text = f"{text}\n\n{_note(attachment)}"
        result: object = None
        if attachment is not None and _by_url(attachment):
            result = await self._api.call("sendPhoto", {"chat_id": chat, "photo": attachment.ref})
        lines, actions = await self._numbered(number, message)
        for part in _parts(text, lines):
            result = await self._api.call("sendMessage", {"chat_id": chat, "text": part})
        if result is None:
            raise DeliveryError("the message has no text to send", Verdict.FAILED)
        await self._remember(number, actions)
        return str(result.get("message_id", "")) if isinstance(result, dict) else ""

    async def _numbered(self, number: str, message: OutgoingMessage) -> tuple[str, list[str]]:
        """The buttons as numbered lines, in the recipient's language."""
        if not message.buttons:
            return "", []
        with await self._in_language(number):
            return message_lines(message)

    async def _in_language(self, number: str) -> AbstractContextManager[object]:
        """The recipient's language for what the channel words itself."""
        language = await self._language(number) if self._language is not None else None
        return use_language(language) if language else nullcontext()

    async def _remember(self, number: str, actions: list[str]) -> None:
        """A list opens for the chat; a message without one leaves an open list open
        (the outbox's messages come on the bot's own initiative, maybe mid-flow)."""
        if self._choices is not None and actions:
            # Any number that is the bot's own: the press comes back with it.
            await self._choices.show(number, str(time.time_ns() // 1000), actions)


def _by_url(attachment: Attachment) -> bool:
    """A photo Zalo can fetch itself; nothing else can go (no uploads, no files)."""
    return attachment.kind == "photo" and "://" in attachment.ref


def _note(attachment: Attachment) -> str:
    """What stands for an attachment that cannot go: a document the bot made itself
    (not a kept file: a reminder's draft report) says where to get it."""
    made = sha256_of(attachment.ref) is None and not is_legacy(attachment.ref)
    if attachment.kind == "document" and made:
        return report_note(attachment.filename or Path(attachment.ref).name)
    return attachment_note(attachment.kind)


def _parts(text: str, lines: str) -> list[str]:
    """The text within Zalo's limit; the numbered lines whole, on the last part if they fit."""
    parts = translate.split(text)
    if not lines:
        return parts
    if parts and len(parts[-1]) + 2 + len(lines) <= translate.TEXT_LIMIT:
        return [*parts[:-1], f"{parts[-1]}\n\n{lines}"]
    return [*parts, *translate.split(lines)]
