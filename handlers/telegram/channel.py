"""Deliver the domain's outgoing messages through the Telegram Bot API."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any, cast

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.messaging.channels import TELEGRAM, Recipient
from bot.messaging.messages import Button, OutgoingMessage
from bot.messaging.notify import DeliveryError
from handlers.telegram.bot_api_http import LeanBotApi


def inline_markup(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """The domain's buttons as a Telegram inline keyboard (None when there are none)."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.label, callback_data=b.action.pack() if b.action else None, url=b.url
                )
                for b in row
            ]
            for row in rows
        ]
    )


def delivery_bots(token: str, api_url: str, connections: int) -> list[Bot]:
    """Bots for the outbox sender: no rate limiter, two connections each.

    The application's bot has PTB's AIORateLimiter, which throttles and
    retries on its own. The outbox sender already paces itself (global and
    per chat) and honours retry_after itself, with the row's state in
    SQLite; going through the limiter too would throttle every broadcast
    twice and retry a 429 twice (the limiter's retries invisible to the
    outbox). So broadcasts use these plain Bots; interactive replies keep
    the limiter. The sender's default 25/s leaves replies room under 30/s.

    Several small pools rather than one big one: httpcore scans its whole
    pool, quadratically, on every request; measured on 2 cores, 1 pool of 8
    connections sent ~900 msg/s, 4 pools of 2 ~1,050 (one of 64: ~220).
    """
    return [
        Bot(
            token,
            base_url=f"{api_url}/bot",
            base_file_url=f"{api_url}/file/bot",
            request=HTTPXRequest(
                connection_pool_size=2, read_timeout=15.0, write_timeout=15.0, pool_timeout=30.0
            ),
        )
        for _ in range(max(1, (connections + 1) // 2))
    ]


class TelegramChannel:
    """Sends one message now; maps Telegram's refusals to DeliveryError.

    An attachment `ref` of the form `path:/some/file` is uploaded once;
    later sends reuse the file id Telegram gave it. Given several bots (the
    same token, separate connection pools), sends take turns among them.
    Given `lean`, text messages go through it (the outbox's fast path, see
    handlers/bot_api_http.py); files always go through PTB.
    """

    name = TELEGRAM

    def __init__(self, bot: Bot, *more: Bot, lean: LeanBotApi | None = None) -> None:
        self._bots = itertools.cycle((bot, *more))
        self._lean = lean
        self._uploaded: dict[str, str] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        if self._lean is not None and message.attachment is None:
            return await self._lean.send_text(int(recipient.external_id), message)
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
            # PTB capitalises the description ("Chat not found"): compare in lower case.
            reason = exc.message.lower()
            blocked = "chat not found" in reason or "deactivated" in reason
            raise DeliveryError(exc.message, blocked=blocked, permanent=True) from exc
        except TelegramError as exc:
            raise DeliveryError(exc.message) from exc
        return str(sent.message_id)

    async def _send(self, chat_id: int, message: OutgoingMessage) -> Message:
        bot = next(self._bots)
        markup = inline_markup(message.buttons)
        mode = ParseMode.HTML if message.html else None
        attachment = message.attachment
        if attachment is None:
            return await bot.send_message(
                chat_id, message.text, parse_mode=mode, reply_markup=markup
            )
        caption_fits = len(message.text) <= MessageLimit.CAPTION_LENGTH
        caption = message.text if caption_fits else None
        send = {
            "photo": bot.send_photo,
            "document": bot.send_document,
            "voice": bot.send_voice,
            "video": bot.send_video,
            "audio": bot.send_audio,
        }[attachment.kind]
        options: dict[str, Any] = {"caption": caption, "parse_mode": mode}
        options["reply_markup"] = markup if caption_fits else None
        sent: Message = await self._send_file(send, chat_id, attachment.ref, options)
        if not caption_fits:
            # A long text goes after the file, so nothing is cut off.
            sent = await bot.send_message(
                chat_id, message.text, parse_mode=mode, reply_markup=markup
            )
        return sent

    async def _send_file(
        self, send: Any, chat_id: int, ref: str, options: dict[str, Any]
    ) -> Message:
        """Send a file id or URL as is; upload a `path:` file once and reuse its id."""
        if not ref.startswith("path:"):
            return cast(Message, await send(chat_id, ref, **options))
        known = self._uploaded.get(ref)
        if known is None:
            async with self._locks.setdefault(ref, asyncio.Lock()):  # the others wait
                known = self._uploaded.get(ref)
                if known is None:
                    sent = cast(Message, await send(chat_id, Path(ref[5:]), **options))
                    self._uploaded[ref] = _file_id(sent)
                    return sent
        return cast(Message, await send(chat_id, known, **options))


def _file_id(message: Message) -> str:
    """The id of the file a message carries, to send it again without uploading."""
    if message.photo:
        return message.photo[-1].file_id
    media = message.effective_attachment
    file_id = getattr(media, "file_id", None)
    if not isinstance(file_id, str):
        raise DeliveryError("the sent message carries no file")
    return file_id
