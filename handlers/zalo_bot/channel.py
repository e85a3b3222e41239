"""The outbox sender's way to Zalo Bot users: one message now, refusals through `classify`."""

from __future__ import annotations

from bot.core.clock import Clock
from bot.core.config import ZaloBotSettings
from bot.core.db import Database
from bot.messaging.channels import ZALO_BOT_SPEC, Recipient
from bot.messaging.markup import to_plain
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from bot.messaging.pacing import Pacer
from handlers.zalo_bot import translate
from handlers.zalo_bot.api import ZaloBotApi
from handlers.zalo_bot.errors import ZaloApiError, classify
from handlers.zalo_bot.gateway import attachment_note
from handlers.zalo_bot.ids import ZaloIds

# Zalo publishes no rate for bots: stay well under anything it could mean,
# on top of the sender's own global pace and one message a second per chat.
ZALO_BOT_RATE = 5.0


class ZaloBotChannel:
    """Sends the domain's messages as Zalo texts (and photos with a public URL).

    The recipient's external id is the number the id map gave their Zalo id.
    Zalo shows no buttons: a message's buttons are listed as numbered lines
    (their choice is taken by the channel-neutral flows, as typed text).
    """

    name = ZALO_BOT_SPEC.name

    def __init__(self, api: ZaloBotApi, ids: ZaloIds, rate: float = ZALO_BOT_RATE) -> None:
        self._api = api
        self._ids = ids
        self._pacer = Pacer(rate, margin=0.1)

    @classmethod
    def open(cls, zalo: ZaloBotSettings, db: Database, clock: Clock) -> ZaloBotChannel:
        """A channel with a connection pool of its own; `close` it at the end."""
        assert zalo.token is not None
        return cls(ZaloBotApi(zalo.token, zalo.api_url), ZaloIds(db, clock))

    async def close(self) -> None:
        await self._api.close()

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        chat = await self._chat(recipient)
        try:
            return await self._send(chat, message)
        except ZaloApiError as exc:
            raise classify(exc) from exc

    async def _chat(self, recipient: Recipient) -> str:
        number = int(recipient.external_id) if recipient.external_id.isdigit() else None
        found = await self._ids.zalo(number) if number is not None else None
        if found is None:
            raise DeliveryError(f"no Zalo id for {recipient.external_id!r}", Verdict.FAILED)
        return found

    async def _send(self, chat: str, message: OutgoingMessage) -> str:
        """The text in as many messages as 2,000 characters need; a photo by URL first."""
        text = to_plain(message.text) if message.html else str(message.text)
        labels = [button.label for row in message.buttons for button in row]
        if labels:
            text += "\n\n" + "\n".join(f"{n}. {label}" for n, label in enumerate(labels, 1))
        attachment = message.attachment
        result: object = None
        if attachment is not None and attachment.kind == "photo" and "://" in attachment.ref:
            await self._pacer.wait()
            result = await self._api.call("sendPhoto", {"chat_id": chat, "photo": attachment.ref})
        elif attachment is not None:
            text = f"{text}\n\n{attachment_note(attachment.kind)}"
        for part in translate.split(text):
            await self._pacer.wait()
            result = await self._api.call("sendMessage", {"chat_id": chat, "text": part})
        if result is None:
            raise DeliveryError("the message has no text to send", Verdict.FAILED)
        return str(result.get("message_id", "")) if isinstance(result, dict) else ""
