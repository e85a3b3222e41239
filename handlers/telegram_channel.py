"""Deliver the domain's outgoing messages through the Telegram Bot API."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

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


class TelegramChannel:
    """Sends one message now; maps Telegram's refusals to DeliveryError."""

    name = TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

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
            raise DeliveryError(exc.message, blocked="chat not found" in exc.message) from exc
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
        sent: Message = await send(  # type: ignore[operator]
            chat_id,
            attachment.ref,
            caption=caption,
            parse_mode=mode,
            reply_markup=markup if caption_fits else None,
        )
        if not caption_fits:
            # A long text goes after the file, so nothing is cut off.
            sent = await self._bot.send_message(
                chat_id, message.text, parse_mode=mode, reply_markup=markup
            )
        return sent
