"""OA webhook events as Telegram updates for the handlers, each event taken in once.

| OA event            | becomes                                                     |
|---------------------|-------------------------------------------------------------|
| user_send_text      | a text message; a tapped button's payload: its press        |
| user_send_image     | a photo, downloaded at once into the FileStore (URLs expire) |
| user_send_file      | a document, downloaded at once                              |
| user_send_audio     | a voice note, downloaded at once                            |
| user_send_location  | a location                                                  |
| user_send_sticker   | a sticker                                                   |
| follow              | /start: onboarding                                          |
| unfollow            | unsubscribed, as /stop confirmed (no message: they left)   |
| user_submit_info    | a shared contact (name and phone)                           |

Zalo ids are digit strings; the handlers' ids are numbers, so a follower's
id is the number those digits spell (and `Recipient.external_id` the same
digits again). Retries of one event are dropped by its `msg_id`
(`zalo_oa_events`), or for an event without one by its kind, user and time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram import Update

from bot.core.db import Database
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient
from bot.messaging.files import FileStore, FileTooLarge, StoredFile
from bot.people.subscriptions import Subscriptions
from handlers.zalo_oa.api import FAILURES
from handlers.zalo_oa.outbound import Outbound

log = logging.getLogger(__name__)

# The events the bot takes in; others (the OA's own sends echoed, reactions...) are not its.
EVENTS = frozenset(
    {
        "user_send_text",
        "user_send_image",
        "user_send_file",
        "user_send_location",
        "user_send_sticker",
        "user_send_audio",
        "follow",
        "unfollow",
        "user_submit_info",
    }
)
KEEP_EVENTS = 7 * 24 * 3600.0
CALLBACK_PREFIX = "zalo-"  # a press's id: the prefix, the follower, a counter  # Zalo retries for minutes; a week of keys is plenty
_update_ids = itertools.count(int(time.time()))
_callback_ids = itertools.count(1)
Put = Callable[[Update], Awaitable[None]]
ToUpdate = Callable[[dict[str, Any]], Update]


def user_of(event: dict[str, Any]) -> str | None:
    """The follower an event is about (the sender, or the follower of a follow)."""
    who = event.get("follower") if event.get("event_name") in ("follow", "unfollow") else None
    who = who or event.get("sender") or {}
    user_id = str(who.get("id", ""))
    return user_id if user_id.isdigit() and not user_id.startswith("0") else None


def event_key(event: dict[str, Any]) -> str:
    """What makes a retry the same event: its msg_id, else its kind, user and time."""
    msg_id = (event.get("message") or {}).get("msg_id")
    if msg_id:
        return f"msg:{msg_id}"
    return f"{event.get('event_name')}:{user_of(event)}:{event.get('timestamp')}"


class Intake:
    """Takes a verified event in once and puts its update on the application's queue."""

    def __init__(
        self,
        db: Database,
        files: FileStore,
        outbound: Outbound,
        subscriptions: Subscriptions,
        channel: str,
        download: Callable[[str], Awaitable[bytes]],
        display_name: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        self.db = db
        self.files = files
        self.outbound = outbound
        self.subscriptions = subscriptions
        self.channel = channel
        self.download = download
        self.display_name = display_name
        self._names: dict[str, str] = {}  # Zalo's name of each follower seen in this run
        self._lanes: dict[str, tuple[asyncio.Lock, int]] = {}  # lock, its holder and waiters

    async def take(self, event: dict[str, Any], put: Put, to_update: ToUpdate) -> None:
        """Process one event (after the webhook answered 200); a retry is dropped.

        One follower's events are taken in one at a time, in the order they
        came (a photo still downloading is not overtaken by the text after it);
        different followers' at once.
        """
        user_id = user_of(event)
        name = str(event.get("event_name", ""))
        if name not in EVENTS:
            log.debug("Zalo OA event %s is not for the bot: ignored", name)
            return
        if user_id is None:
            log.warning("Zalo OA event %s without a usable user id: dropped", name)
            return
        stamp = str(event.get("timestamp") or "")
        if stamp.isdigit() and int(stamp) / 1000 < time.time() - KEEP_EVENTS:
            # Older than the keys kept: a replay could not be told from a new event.
            log.warning("Zalo OA event %s older than a week: dropped", name)
            return
        lane, users = self._lanes.get(user_id) or (asyncio.Lock(), 0)
        self._lanes[user_id] = (lane, users + 1)
        try:
            async with lane:  # FIFO: the events' order of arrival
                await self._take(name, user_id, event, put, to_update)
        finally:
            lane, users = self._lanes[user_id]
            if users == 1:
                del self._lanes[user_id]  # no one else holds or waits for it
            else:
                self._lanes[user_id] = (lane, users - 1)

    async def _take(
        self, name: str, user_id: str, event: dict[str, Any], put: Put, to_update: ToUpdate
    ) -> None:
        if not await self._first_time(event, name):
            log.info("Zalo OA event %s delivered again: dropped", event_key(event))
            return
        recipient = Recipient(self.channel, user_id)
        if name == "unfollow":
            with contextlib.suppress(LookupError):  # never subscribed
                await self.subscriptions.unsubscribe(recipient)
            return
        # Any interaction reaches the citizen again: one marked unreachable (-213,
        # not following) can be sent to once more. Zalo's window (-230) blocks
        # nobody: the outbox holds their messages (bot/messaging/window.py).
        await self.subscriptions.mark_blocked(recipient, False)
        data = await self._update(name, user_id, event)
        if data is None:
            log.info("Zalo OA event %s is not for the bot: ignored", name)
            return
        person = _person(user_id, await self._name(user_id))
        for part in ("message", "callback_query"):
            if part in data:
                data[part]["from"] = person
        await put(to_update(data))

    async def _name(self, user_id: str) -> str:
        """The follower's Zalo name, asked once a run; "Zalo" when Zalo does not say."""
        known = self._names.get(user_id)
        if known is None and self.display_name is not None:
            try:
                known = await self.display_name(user_id)
            except FAILURES as exc:
                log.info("Zalo OA: no profile for a follower: %s", exc)
            known = self._names[user_id] = clean_line(known or "") or "Zalo"
        return known or "Zalo"

    async def _first_time(self, event: dict[str, Any], name: str) -> bool:
        now = time.time()
        async with self.db.transaction() as tx:
            await tx.execute(
                "DELETE FROM zalo_oa_events WHERE received_at < ?", (now - KEEP_EVENTS,)
            )
            found = await tx.fetchone(
                "INSERT INTO zalo_oa_events (key, event_name, received_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO NOTHING RETURNING key",
                (event_key(event), name, now),
            )
        return found is not None

    async def _update(
        self, name: str, user_id: str, event: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The Bot API update for an event, or None when the bot has nothing to do with it."""
        message = event.get("message") or {}
        text = str(message.get("text") or "")
        if name == "user_send_text":
            choice = await self.outbound.choice(user_id, text)
            if choice is not None:
                return _callback(user_id, choice.data, choice.message_id)
            return _message(user_id, event, text=text, **_command(text))
        if name == "follow":
            entity = {"type": "bot_command", "offset": 0, "length": 6}
            return _message(user_id, event, text="/start", entities=[entity])
        if name == "user_submit_info":
            info = event.get("info") or {}
            contact = {
                "phone_number": str(info.get("phone", "")),
                "first_name": str(info.get("name") or "Zalo"),
                "user_id": int(user_id),
            }
            return _message(user_id, event, contact=contact)
        attachment = (message.get("attachments") or [{}])[0]
        payload = attachment.get("payload") or {}
        if name == "user_send_location":
            where = payload.get("coordinates") or {}
            location = {
                "latitude": float(where["latitude"]),
                "longitude": float(where["longitude"]),
            }
            return _message(user_id, event, location=location)
        if name == "user_send_sticker":
            sticker_id = str(payload.get("id", "0"))
            sticker = {"file_id": f"zalo-sticker:{sticker_id}", "file_unique_id": sticker_id,
                       "width": 0, "height": 0, "is_animated": False, "is_video": False,
                       "type": "regular"}  # fmt: skip
            return _message(user_id, event, sticker=sticker)
        if name in ("user_send_image", "user_send_file", "user_send_audio"):
            return await self._with_file(name, user_id, event, payload, text)
        return None

    async def _with_file(
        self, name: str, user_id: str, event: dict[str, Any], payload: dict[str, Any], text: str
    ) -> dict[str, Any]:
        """Download the file now (Zalo's URLs expire) and keep it; the update names the kept file."""
        filename = payload.get("name")
        stored = await self._keep(str(payload.get("url", "")), filename, name)
        caption = {"caption": text} if text else {}
        if stored is None:  # could not fetch it: the words still count
            return _message(user_id, event, text=text or "…")
        ref = {
            "file_id": stored.ref,
            "file_unique_id": stored.sha256[:16],
            "file_size": stored.size,
        }
        if name == "user_send_image":
            photo = [{**ref, "width": 0, "height": 0}]
            return _message(user_id, event, photo=photo, **caption)
        if name == "user_send_audio":
            voice = {**ref, "duration": 0, "mime_type": stored.mime}
            return _message(user_id, event, voice=voice, **caption)
        document = {**ref, "file_name": stored.filename or "file", "mime_type": stored.mime}
        return _message(user_id, event, document=document, **caption)

    async def _keep(self, url: str, filename: Any, name: str) -> StoredFile | None:
        mime = {"user_send_image": "image/jpeg", "user_send_audio": "audio/aac"}.get(name)
        try:
            data = await self.download(url)
            return await self.files.put(data, mime, str(filename) if filename else None)
        except (httpx.HTTPError, FileTooLarge, OSError) as exc:
            log.warning("Zalo OA: could not keep the file of a %s event: %s", name, exc)
            return None


def _command(text: str) -> dict[str, Any]:
    """A leading "/word" marked as a command, as Telegram marks it (the command handlers need it)."""
    if not text.startswith("/") or len(text) < 2:
        return {}
    length = len(text.split(maxsplit=1)[0])
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}


def _person(user_id: str, name: str = "Zalo") -> dict[str, Any]:
    # Webhook events carry no name: Intake asks Zalo's profile for it.
    return {"id": int(user_id), "is_bot": False, "first_name": name, "language_code": "vi"}


def _message(user_id: str, event: dict[str, Any], **content: Any) -> dict[str, Any]:
    stamp = str(event.get("timestamp") or "")
    date = int(stamp) // 1000 if stamp.isdigit() else int(time.time())
    message = {
        "message_id": next(_update_ids),
        "date": date,
        "chat": {"id": int(user_id), "type": "private", "first_name": "Zalo"},
        "from": _person(user_id),
        **content,
    }
    return {"update_id": next(_update_ids), "message": message}


def _callback(user_id: str, data: str, message_id: int) -> dict[str, Any]:
    """A press of a button shown under the message `message_id`."""
    shown = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": int(user_id), "type": "private", "first_name": "Zalo"},
        "text": "",
    }
    query = {
        "id": f"{CALLBACK_PREFIX}{user_id}-{next(_callback_ids)}",
        "from": _person(user_id),
        "chat_instance": f"zalo-{user_id}",
        "data": data,
        "message": shown,
    }
    return {"update_id": next(_update_ids), "callback_query": query}
