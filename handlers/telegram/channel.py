"""Deliver the domain's outgoing messages through the Telegram Bot API; its one error classifier."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.request import BaseRequest

from bot.core.config import Settings
from bot.messaging.channels import TELEGRAM, ZALO_BOT_SPEC, Recipient
from bot.messaging.choices import ChoiceStore
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.files import FileStore, FileTooLarge, StoredFile, is_legacy, sha256_of
from bot.messaging.messages import Attachment, Button, OutgoingMessage
from bot.messaging.notify import Channel, DeliveryError, Verdict
from handlers.telegram import render
from handlers.telegram.common import Context, channel_of, services
from handlers.telegram.files import KIND_MIME, download
from handlers.telegram.http import AiohttpRequest

log = logging.getLogger(__name__)

# What Telegram says, in a 400 or 403, when the chat itself refuses or is gone
# (PTB capitalises the description: compare in lower case).
_CHAT_REFUSES = (
    "chat not found",
    "user not found",
    "bot was blocked",
    "bot was kicked",
    "user is deactivated",
    "bot can't initiate conversation",
    "bot is not a member",
    "have no rights to send",
    "not enough rights to send",
    "peer_id_invalid",
)


def classify(exc: TelegramError) -> DeliveryError:
    """Telegram's refusal as the sender sees it: the channel's one error classifier.

    | Telegram answers                          | PTB raises      | verdict             |
    |-------------------------------------------|-----------------|---------------------|
    | 429 with retry_after                      | RetryAfter      | RETRY, retry_after  |
    | 403 (blocked, kicked, never started)      | Forbidden       | REFUSED             |
    | 400 "chat not found", "bot was blocked"…  | BadRequest      | REFUSED             |
    | 400 other (a malformed message)           | BadRequest      | FAILED              |
    | 400 with migrate_to_chat_id               | ChatMigrated    | FAILED              |
    | 401 bad or revoked token, 404 wrong root  | InvalidToken    | DOWN                |
    | 409, 5xx, other statuses                  | Conflict, NetworkError | RETRY        |
    | timeout, lost connection, refused         | TimedOut, NetworkError | RETRY        |
    """
    reason = exc.message
    if isinstance(exc, RetryAfter):
        seconds = exc.retry_after
        delay = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
        return DeliveryError(reason, Verdict.RETRY, retry_after=float(delay))
    if isinstance(exc, InvalidToken):
        return DeliveryError(reason, Verdict.DOWN)
    if isinstance(exc, Forbidden):
        return DeliveryError(reason, Verdict.REFUSED)
    if isinstance(exc, BadRequest):
        refuses = any(phrase in reason.lower() for phrase in _CHAT_REFUSES)
        return DeliveryError(reason, Verdict.REFUSED if refuses else Verdict.FAILED)
    if isinstance(exc, ChatMigrated):
        return DeliveryError(f"{reason} (update the chat id)", Verdict.FAILED)
    # NetworkError (5xx, timeouts, lost or refused connections), Conflict (409)
    # and anything unforeseen: worth another try, within the sender's budget.
    return DeliveryError(reason, Verdict.RETRY)


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


Adapt = Callable[[BaseRequest], BaseRequest]  # a transport wrapped for a narrower channel


def delivery_bots(
    token: str, api_url: str, connections: int, adapt: Adapt | None = None
) -> list[Bot]:
    """Bots for the outbox sender: no rate limiter, two connections each.

    The application's bot has PTB's AIORateLimiter, which throttles and
    retries on its own. The outbox sender already paces itself (global and
    per chat) and honours retry_after itself, with the row's state in
    SQLite; going through the limiter too would throttle every broadcast
    twice and retry a 429 twice (the limiter's retries invisible to the
    outbox). So broadcasts use these plain Bots; interactive replies keep
    the limiter. The sender's default 25/s leaves replies room under 30/s.

    Several small pools rather than one big one, from the httpx days (httpcore
    scans its whole pool, quadratically, on every request: 1 pool of 8 sent
    ~900 msg/s, 4 pools of 2 ~1,050, one of 64 ~220). Over aiohttp (`http.py`)
    5,000 messages with limits lifted cost the bot 10-11 s of CPU, start-up
    included, against 19-21 s with httpx, at load 4-8 on the 2 cores.
    `adapt` wraps each bot's transport (`PlainRequest` for a channel
    without buttons or formatting).
    """
    adapt = adapt or (lambda request: request)
    return [
        Bot(
            token,
            base_url=f"{api_url}/bot",
            base_file_url=f"{api_url}/file/bot",
            request=adapt(AiohttpRequest(connections=2, read_timeout=15.0, pool_timeout=30.0)),
            # Never polls, but PTB would make an HTTPXRequest for it, which reads
            # certifi's CA bundle for a TLS context of its own (~60 ms of CPU each).
            get_updates_request=AiohttpRequest(connections=1),
        )
        for _ in range(max(1, (connections + 1) // 2))
    ]


class TelegramChannel:
    """Sends one message now; maps Telegram's refusals through `classify`.

    A file the bot keeps (`file:<sha256>`, given `files`) is sent by the
    file id Telegram gave it last time, else uploaded from the store and its
    new id remembered; a legacy bare file id is adopted into the store on
    first use. An attachment `ref` of the form `path:/some/file` is uploaded
    once; later sends reuse the file id Telegram gave it. Given several bots (the
    same token, separate connection pools), sends take turns among them.
    """

    def __init__(
        self, bot: Bot, *more: Bot, files: FileStore | None = None, name: str = TELEGRAM
    ) -> None:
        # The channel it serves: file ids are cached under it, since another
        # server's bot (a second application) cannot use Telegram's ids.
        self.name = name
        self._all = (bot, *more)
        self._bots = itertools.cycle(self._all)
        self._files = files
        self._uploaded: dict[str, str] = {}  # path: or file: reference -> Telegram file id
        self._known: dict[str, StoredFile] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    @classmethod
    async def open(
        cls,
        token: str,
        api_url: str,
        connections: int,
        files: FileStore | None = None,
        adapt: Adapt | None = None,
        name: str = TELEGRAM,
    ) -> TelegramChannel:
        """A channel over `delivery_bots`, initialised; `close` it at the end."""
        bots = delivery_bots(token, api_url, connections, adapt)

        async def initialize(bot: Bot) -> None:
            # Its getMe may fail (a revoked token, Telegram unreachable): the
            # connections are ready anyway, and the sends' own refusals tell
            # the sender to pause or retry.
            with contextlib.suppress(TelegramError):
                await bot.initialize()

        # All at once: one round trip to Telegram before the sender starts, not four.
        await asyncio.gather(*(initialize(bot) for bot in bots))
        return cls(*bots, files=files, name=name)

    async def close(self) -> None:
        for bot in self._all:
            await bot.shutdown()

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        try:
            sent = await self._send(int(recipient.external_id), message)
        except TelegramError as exc:
            raise classify(exc) from exc
        return str(sent.message_id)

    async def _send(self, chat_id: int, message: OutgoingMessage) -> Message:
        """The text in as many messages as Telegram's limits need, buttons on the last.

        With a file, the caption takes the text's opening (up to 1,024) and the
        rest follows; a retry after a failure part-way sends the parts again.
        """
        bot = next(self._bots)
        markup = inline_markup(message.buttons)
        attachment = message.attachment
        if attachment is None:
            return await _send_texts(bot, chat_id, render.texts(message.text, message.html), markup)
        caption, rest = render.caption_and_texts(message.text, message.html)
        send = {
            "photo": bot.send_photo,
            "document": bot.send_document,
            "voice": bot.send_voice,
            "video": bot.send_video,
            "audio": bot.send_audio,
        }[attachment.kind]
        options: dict[str, Any] = {"caption": caption or None, "parse_mode": ParseMode.HTML}
        options["reply_markup"] = None if rest else markup
        stored = await self._stored(attachment) if self._files is not None else None
        if stored is not None:
            sent: Message = await self._send_stored(send, chat_id, stored, attachment, options)
        else:
            sent = await self._send_file(send, chat_id, attachment.ref, options)
        if rest:
            sent = await _send_texts(bot, chat_id, rest, markup)
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
                    if (file_id := _file_id(sent)) is not None:
                        self._uploaded[ref] = file_id
                    return sent
        return cast(Message, await send(chat_id, known, **options))

    async def _stored(self, attachment: Attachment) -> StoredFile | None:
        """The kept file an attachment names; a legacy file id is adopted into the store first."""
        assert self._files is not None
        sha256 = sha256_of(attachment.ref)
        if sha256 is not None:
            found = self._known.get(sha256) or await self._files.get(sha256)
            if found is None:
                raise DeliveryError(f"no stored file {sha256}", Verdict.FAILED)
            self._known[sha256] = found  # a broadcast sends the same file thousands of times
            return found
        if not is_legacy(attachment.ref):
            return None
        return await self._adopt(attachment)

    async def _adopt(self, attachment: Attachment) -> StoredFile | None:
        """Download a file known only by its file id (a row from before the store) and keep it."""
        assert self._files is not None
        found = await self._files.legacy(TELEGRAM, attachment.ref)
        if found is not None:
            return found
        try:
            data = await download(next(self._bots), attachment.ref)
            mime = KIND_MIME.get(attachment.kind)
            stored = await self._files.put(data, mime, attachment.filename)
        except (TelegramError, FileTooLarge) as exc:
            # The file id still works on Telegram: send it as before, adopt it another time.
            log.warning("could not adopt a legacy file id into the store: %s", exc)
            return None
        await self._files.adopt(TELEGRAM, attachment.ref, stored)
        return stored

    async def _send_stored(
        self,
        send: Any,
        chat_id: int,
        stored: StoredFile,
        attachment: Attachment,
        options: dict[str, Any],
    ) -> Message:
        """Send by the cached file id; upload the bytes when there is none or Telegram refuses it."""
        assert self._files is not None
        ref = stored.ref
        cached = self._uploaded.get(ref) or await self._files.cache_ref(stored.sha256, self.name)
        if cached is not None:
            try:
                sent = cast(Message, await send(chat_id, cached, **options))
                self._uploaded[ref] = cached
                return sent
            except BadRequest as exc:
                if "file" not in exc.message.lower():
                    raise
                log.info("Telegram refused the cached id of %s: uploading it", stored.sha256)
                self._uploaded.pop(ref, None)
                await self._files.forget(stored.sha256, self.name)
        async with self._locks.setdefault(stored.sha256, asyncio.Lock()):  # the others wait
            cached = self._uploaded.get(ref)
            if cached is not None:  # uploaded meanwhile by another send
                return cast(Message, await send(chat_id, cached, **options))
            path = self._files.path(stored.sha256)
            if not path.is_file():
                raise DeliveryError(
                    f"the bytes of stored file {stored.sha256} are missing", Verdict.FAILED
                )
            name = attachment.filename or stored.filename or f"{stored.sha256[:12]}"
            with path.open("rb") as handle:
                sent = cast(Message, await send(chat_id, handle, filename=name, **options))
            file_id = _file_id(sent)
            if file_id is not None:
                self._uploaded[ref] = file_id
                await self._files.remember(stored.sha256, self.name, file_id)
            return sent


async def _send_texts(
    bot: Bot, chat_id: int, parts: tuple[str, ...], markup: InlineKeyboardMarkup | None
) -> Message:
    """Telegram HTML texts in order; the buttons go under the last."""
    sent: Message | None = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )
    if sent is None:
        raise DeliveryError("the message has no text to send", Verdict.FAILED)
    return sent


def _file_id(message: Message) -> str | None:
    """The id of the file a message carries, to send it again without uploading.

    None when the channel sent something else in its place (the Zalo Bot
    gateway says in words that a file it cannot send is attached): nothing to
    cache, the next send uploads again.
    """
    if message.photo:
        return message.photo[-1].file_id
    media = message.effective_attachment
    file_id = getattr(media, "file_id", None)
    return file_id if isinstance(file_id, str) else None


def reply_channel(context: Context) -> TelegramChannel:
    """A channel over the bot that received the update, for a handler's own sends.

    Named after that application's channel, not "telegram": a Zalo
    application's bot gets other file ids, and caching them under Telegram's
    name would make Telegram's sends use ids it never gave.
    """
    name = channel_of(context.application).name
    return TelegramChannel(context.bot, files=services(context).files, name=name)


@asynccontextmanager
async def sender_channels(
    settings: Settings, policy: DeliveryPolicy, files: FileStore
) -> AsyncIterator[Mapping[str, Channel]]:
    """The channels the outbox sender delivers through (those with a token), open while the context lasts."""
    from handlers.zalo_bot.channel import ZaloBotChannel  # its gateway imports this module's peers

    if not settings.bot_token and not settings.zalo_bot.token:
        raise ValueError("the sender needs a channel: set BOT_TOKEN or ZALO_BOT_TOKEN")
    async with contextlib.AsyncExitStack() as stack:
        channels: dict[str, Channel] = {}
        if settings.bot_token:
            telegram = await TelegramChannel.open(
                settings.bot_token, settings.bot_api_url, policy.connections, files
            )
            stack.push_async_callback(telegram.close)
            channels[telegram.name] = telegram
        if settings.zalo_bot.token:
            # The lists a Zalo citizen may answer by number, where the application reads them.
            choices = ChoiceStore(files.db, files.clock, ZALO_BOT_SPEC.name)
            zalo = ZaloBotChannel.open(settings.zalo_bot, files.db, files.clock, choices)
            stack.push_async_callback(zalo.close)
            channels[zalo.name] = zalo
        yield channels
