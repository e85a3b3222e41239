"""The outbox sender's OA channel: the domain's outgoing messages as consultation messages."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from pathlib import Path

from bot.core.i18n import use_language
from bot.messaging import markup
from bot.messaging.channels import ZALO_OA_SPEC, Recipient
from bot.messaging.files import FileStore, StoredFile, sha256_of
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from handlers.telegram import words
from handlers.telegram.plain_request import LanguageOf
from handlers.zalo_oa.api import FAILURES, classify
from handlers.zalo_oa.outbound import OAButton, Outbound

log = logging.getLogger(__name__)


class ZaloOAChannel:
    """Sends one message now; maps the OA's refusals through `api.classify`.

    Text is rendered plain (the OA has no formatting) and cut to 2,000
    characters a message; a photo the bot keeps is uploaded and sent first;
    buttons become query buttons answered by their number. A PDF or Word
    document (a report) is uploaded and sent as a file; other files (voice,
    video, other documents) cannot go out as OA consultation messages: their
    caption goes alone.
    """

    name = ZALO_OA_SPEC.name

    def __init__(
        self, outbound: Outbound, files: FileStore, language: LanguageOf | None = None
    ) -> None:
        self._outbound = outbound
        self._files = files
        self._language = language
        self._paths: dict[str, StoredFile] = {}

    async def close(self) -> None:
        """The OA client's connections belong to the OA application."""

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        text = markup.to_plain(message.text) if message.html else str(message.text)
        text = await self._worded(recipient.external_id, text)
        buttons = [
            OAButton(b.label, data=b.action.pack() if b.action else None, url=b.url)
            for row in message.buttons
            for b in row
        ]
        try:
            image, document = await self._files_of(message.attachment)
            sent = await self._outbound.send(recipient.external_id, text, buttons, image, document)
        except DeliveryError:
            raise
        except FAILURES as exc:
            raise classify(exc) from exc
        return str(sent)

    async def _worded(self, user_id: str, text: str) -> str:
        """No slashes on Zalo: "gửi /track PA-…" reads "gửi “tra cứu” PA-…", in the follower's
        language (the outbox sends outside any handler, so it is looked up)."""
        if "/" not in text:
            return text
        language = await self._language(user_id) if self._language is not None else None
        with use_language(language) if language else nullcontext():
            return words.spoken(text)

    async def _files_of(
        self, attachment: Attachment | None
    ) -> tuple[StoredFile | None, StoredFile | None]:
        """The kept image, or the kept document, a message carries."""
        if attachment is None or attachment.kind not in ("photo", "document"):
            if attachment is not None:
                log.warning("Zalo OA cannot send a %s: its caption goes alone", attachment.kind)
            return None, None
        kept = await self._kept(attachment)
        return (kept, None) if attachment.kind == "photo" else (None, kept)

    async def _kept(self, attachment: Attachment) -> StoredFile | None:
        sha256 = sha256_of(attachment.ref)
        if sha256 is not None:
            found = await self._files.get(sha256)
            if found is None:
                raise DeliveryError(f"no stored file {sha256}", Verdict.FAILED)
            return found
        if attachment.ref.startswith("path:"):  # a broadcast's photo: kept once, then reused
            kept = self._paths.get(attachment.ref)
            if kept is None:
                kept = await self._files.put(Path(attachment.ref[5:]), None, attachment.filename)
                self._paths[attachment.ref] = kept
            return kept
        log.warning("Zalo OA: file %r is neither kept nor a path: caption only", attachment.ref)
        return None
