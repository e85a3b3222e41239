"""Deliver the domain's outgoing messages through the Telegram Bot API."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.channels import TELEGRAM, Recipient
from bot.messages import Button, OutgoingMessage
from bot.notify import DeliveryError


def inline_markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """The domain's buttons as a Telegram inline keyboard (None when there are none)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in rows
        ]
    )


def delivery_bot(token: str, api_url: str, connections: int) -> Bot:
    """A Bot for the outbox sender: no rate limiter, several connections.

    The application's bot has PTB's AIORateLimiter, which throttles and
    retries on its own. The outbox sender already paces itself (global and
    per chat) and honours retry_after itself, with the row's state in
    SQLite; going through the limiter too would throttle every broadcast
    twice and retry a 429 twice (the limiter's retries invisible to the
    outbox). So broadcasts use this plain Bot; interactive replies keep
    the limiter. The sender's default 25/s leaves replies room under 30/s.
    """
    request = HTTPXRequest(
        connection_pool_size=connections, read_timeout=15.0, write_timeout=15.0, pool_timeout=30.0
    )
    return Bot(
        token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot", request=request
    )


class TelegramChannel:
    """Sends one message now; maps Telegram's refusals to DeliveryError.

    An attachment `ref` of the form `path:/some/file` is uploaded once;
    later sends reuse the file id Telegram gave it.
    """

    name = TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._uploaded: dict[str, str] = {}

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        try:
            sent = await self._send(int(recipient.external_id), message)
        except Forbidden as exc:
            raise DeliveryError(exc.message, blocked=True) from exc
        except RetryAfter as exc:
            seconds = exc.retry_after
            delay = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
            raise DeliveryError(exc.message, retry_after=delay) from exc
        except BadRequest as exc:
            # A 4xx will not get better by retrying: a deleted account or a bad message.
            blocked = "chat not found" in exc.message or "deactivated" in exc.message
            raise DeliveryError(exc.message, blocked=blocked, permanent=True) from exc
        except TelegramError as exc:
            raise DeliveryError(exc.message) from exc
        return str(sent.message_id)

    async def _send(self, chat_id: int, message: OutgoingMessage) -> Message:
        markup = inline_markup(message.buttons)
        mode = ParseMode.HTML if message.html else None
        attachment = message.attachment
        if attachment is None:
            return await self._bot.send_message(
                chat_id, message.text, parse_mode=mode, reply_markup=markup
            )
        caption_fits = len(message.text) <= MessageLimit.CAPTION_LENGTH
        caption = message.text if caption_fits else None
        send = {
            "photo": self._bot.send_photo,
            "document": self._bot.send_document,
            "voice": self._bot.send_voice,
            "video": self._bot.send_video,
            "audio": self._bot.send_audio,
        }[attachment.kind]
        local = attachment.ref.removeprefix("path:") if attachment.ref.startswith("path:") else None
        file: str | Path = self._uploaded.get(attachment.ref) or (
            Path(local) if local else attachment.ref
        )
        sent: Message = await send(  # type: ignore[operator]
            chat_id,
            file,
            caption=caption,
            parse_mode=mode,
            reply_markup=markup if caption_fits else None,
        )
        if local and attachment.ref not in self._uploaded:
            self._uploaded[attachment.ref] = _file_id(sent)
        if not caption_fits:
            # A long text goes after the file, so nothing is cut off.
            sent = await self._bot.send_message(
                chat_id, message.text, parse_mode=mode, reply_markup=markup
            )
        return sent


def _file_id(message: Message) -> str:
    """The id of the file a message carries, to send it again without uploading."""
    if message.photo:
        return message.photo[-1].file_id
    media = message.effective_attachment
    file_id = getattr(media, "file_id", None)
    if not isinstance(file_id, str):
        raise DeliveryError("the sent message carries no file")
    return file_id
