"""The gateway: the application's Bot API calls done on the Zalo Bot API, Zalo's updates as Updates.

The Zalo Bot application is an ordinary python-telegram-bot Application
built with `ZaloBotRequest`: every call its handlers make arrives here and
is translated (README: Zalo Bot channel).

| Bot API call                         | on Zalo                                        |
|--------------------------------------|------------------------------------------------|
| getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo | the same method, shapes translated |
| sendMessage, editMessageText/Caption | sendMessage, HTML made plain, split at 2,000 (an edit is sent anew) |
| sendPhoto                            | sendPhoto with a public URL; a kept file has none: a text says an image is attached |
| sendDocument, sendVoice, …           | a text saying a file is attached; one a handler made (a report) is to be had on Telegram, the OA or at the office |
| sendChatAction                       | sendChatAction "typing"                        |
| getFile + download                   | the bot's own kept file (photos are kept on arrival) |
| answerCallbackQuery, setMyCommands, deleteMessage, editMessageReplyMarkup… | nothing to do: OK |
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.core.clock import Clock
from bot.core.i18n import _
from bot.messaging.files import FileStore, FileTooLarge, sha256_of
from handlers.zalo_bot import translate
from handlers.zalo_bot.api import NO_UPDATE, ZaloBotApi
from handlers.zalo_bot.errors import ZaloApiError, bot_api_error
from handlers.zalo_bot.ids import ZaloIds
from handlers.zalo_bot.translate import JSON

log = logging.getLogger(__name__)

# An empty poll that came back sooner than asked (a server answering 408 at
# once) waits out the rest, at least this long: polling never spins.
MIN_EMPTY_POLL = 1.0
# Calls with nothing to do on Zalo, and what the Bot API would have answered.
_NOTHING_TO_DO: dict[str, Callable[[], Any]] = {
    name: (lambda: True)
    for name in (
        "answercallbackquery",
        "setmycommands",
        "deletemycommands",
        "setchatmenubutton",
        "deletemessage",
        "deletemessages",
        "editmessagereplymarkup",
        "setmyname",
        "setmydescription",
        "setmyshortdescription",
        "logout",
        "close",
    )
} | {
    "getmycommands": list,
    "getchatmenubutton": lambda: {"type": "default"},
    "getmyname": lambda: {"name": ""},
    "getmydescription": lambda: {"description": ""},
    "getmyshortdescription": lambda: {"short_description": ""},
}
_MEDIA = ("senddocument", "sendvoice", "sendaudio", "sendvideo", "sendanimation")


class ZaloBotGateway:
    """One Zalo bot seen as a Bot API server; `attach` it to the open services before updates flow."""

    def __init__(self, token: str, api_url: str, clock: Clock) -> None:
        self.token = token
        self.api_url = api_url
        self._clock = clock
        self._api: ZaloBotApi | None = None
        self._users = 0  # requests initialised: the client lives while any does
        self._ids: ZaloIds | None = None
        self._files: FileStore | None = None
        self._bot: JSON = {"id": 0, "is_bot": True, "first_name": "Zalo"}
        # Numbers for the Bot API's update and message ids: Zalo has none
        # (updates) or strings (messages), and nothing asks for them back.
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def request(self) -> ZaloBotRequest:
        """A request object for the application (it needs one for getUpdates, one for the rest)."""
        return ZaloBotRequest(self)

    def attach(self, ids: ZaloIds, files: FileStore) -> None:
        """Where the id map and the kept files live (the shared services, once open)."""
        self._ids, self._files = ids, files

    @property
    def api(self) -> ZaloBotApi:
        if self._api is None:
            raise RuntimeError("the Zalo Bot gateway is not initialised")
        return self._api

    async def open(self) -> None:
        self._users += 1
        if self._api is None:
            self._api = ZaloBotApi(self.token, self.api_url)

    async def close(self) -> None:
        self._users -= 1
        if self._users <= 0 and self._api is not None:
            api, self._api = self._api, None
            await api.close()

    @property
    def ids(self) -> ZaloIds:
        if self._ids is None:
            raise RuntimeError("the Zalo Bot gateway is not attached to the services yet")
        return self._ids

    @property
    def files(self) -> FileStore:
        if self._files is None:
            raise RuntimeError("the Zalo Bot gateway is not attached to the services yet")
        return self._files

    # --- calls from the application --------------------------------------------------------
    async def call(self, method: str, params: JSON) -> Any:
        """Do one Bot API call on Zalo; its result in the Bot API's shape."""
        name = method.lower()
        quick = _NOTHING_TO_DO.get(name)
        if quick is not None:
            return quick()
        if name in _MEDIA:
            # An upload (no file id in the call): a file the handler made, such as
            # a report or a paper to print, not one kept with someone's case.
            made = name == "senddocument" and "document" not in params
            note = made_note() if made else attachment_note("document")
            return await self._send_text(params, params.get("caption"), note)
        handler = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._webhook_info,
            "sendmessage": self._send_message,
            "editmessagetext": self._send_message,  # Zalo cannot edit: the new text is sent
            "editmessagecaption": self._send_caption,
            "sendphoto": self._send_photo,
            "sendchataction": self._chat_action,
            "getchat": self._get_chat,
            "getfile": self._get_file,
        }.get(name)
        if handler is None:
            raise ZaloApiError(400, f"Bad Request: {method} is not available on Zalo Bot")
        return await handler(params)

    async def _get_me(self, params: JSON) -> JSON:
        self._bot = translate.bot_user(await self.api.call("getMe"))
        return self._bot

    async def _get_updates(self, params: JSON) -> list[JSON]:
        """One Zalo update per call; an empty poll (408) is an empty list, never a spin."""
        wait = float(params.get("timeout") or 0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            result = await self.api.call("getUpdates", {"timeout": str(int(wait))}, wait=wait)
        except ZaloApiError as exc:
            if exc.code != NO_UPDATE:
                raise
            rest = started + MIN_EMPTY_POLL - loop.time()
            if rest > 0:
                await asyncio.sleep(rest)
            return []
        raws = result if isinstance(result, list) else [result]
        updates = [await self.to_update(raw) for raw in raws]
        return [update for update in updates if update is not None]

    async def _delete_webhook(self, params: JSON) -> bool:
        await self.api.call("deleteWebhook")
        return True

    async def _set_webhook(self, params: JSON) -> bool:
        secret = params.get("secret_token")
        await self.api.call("setWebhook", {"url": params.get("url"), "secret_token": secret})
        return True

    async def _webhook_info(self, params: JSON) -> JSON:
        info = await self.api.call("getWebhookInfo") or {}
        url = info.get("url", "") if isinstance(info, dict) else ""
        return {"url": url or "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _get_chat(self, params: JSON) -> JSON:
        chat_id = int(params["chat_id"])
        await self._zalo_chat(chat_id)  # 400 "chat not found" for a number never given
        return {"id": chat_id, "type": "private" if chat_id > 0 else "group"}

    async def _send_message(self, params: JSON) -> JSON:
        return await self._send_text(params, params.get("text"))

    async def _send_caption(self, params: JSON) -> JSON:
        return await self._send_text(params, params.get("caption"))

    async def _send_photo(self, params: JSON) -> JSON:
        """A photo with a public URL is sent as one; anything else has no URL Zalo could fetch."""
        photo = params.get("photo")
        if not (isinstance(photo, str) and photo.startswith(("https://", "http://"))):
            return await self._send_text(params, params.get("caption"), attachment_note("photo"))
        chat_id = int(params["chat_id"])
        texts = translate.split(
            translate.plain(str(params.get("caption") or ""), params.get("parse_mode"))
        )
        zalo = await self._zalo_chat(chat_id)
        options: JSON = {"chat_id": zalo, "photo": photo}
        if texts:
            options["caption"] = texts[0]
        result = await self.api.call("sendPhoto", options)
        for part in texts[1:]:
            result = await self.api.call("sendMessage", {"chat_id": zalo, "text": part})
        return translate.sent_message(next(self._message_ids), chat_id, self._bot, result, "")

    async def _send_text(self, params: JSON, text: Any, note: str | None = None) -> JSON:
        """The text made plain, in parts Zalo takes, a note after it (an attachment it cannot show)."""
        if params.get("chat_id") is None:
            raise ZaloApiError(400, "Bad Request: Zalo messages need a chat_id")
        chat_id = int(params["chat_id"])
        body = translate.plain(str(text or ""), params.get("parse_mode"))
        if note:
            body = f"{body}\n\n{note}" if body.strip() else note
        parts = translate.split(body)
        if not parts:
            raise ZaloApiError(400, "Bad Request: message text is empty")
        zalo = await self._zalo_chat(chat_id)
        result: Any = None
        for part in parts:
            result = await self.api.call("sendMessage", {"chat_id": zalo, "text": part})
        return translate.sent_message(
            next(self._message_ids), chat_id, self._bot, result, parts[-1]
        )

    async def _chat_action(self, params: JSON) -> bool:
        zalo = await self._zalo_chat(int(params["chat_id"]))
        await self.api.call("sendChatAction", {"chat_id": zalo, "action": "typing"})
        return True

    async def _get_file(self, params: JSON) -> JSON:
        """Files people send are kept on arrival: their id is the bot's own reference."""
        sha256 = sha256_of(str(params.get("file_id", "")))
        stored = await self.files.get(sha256) if sha256 else None
        if stored is None:
            raise ZaloApiError(400, "Bad Request: wrong file identifier")
        return {
            "file_id": stored.ref,
            "file_unique_id": stored.sha256[:32],
            "file_size": stored.size,
            "file_path": stored.sha256,
        }

    async def read_file(self, path: str) -> bytes | None:
        """The bytes of a kept file, for the application's download of a getFile path."""
        name = path.rsplit("/", 1)[-1]
        stored = await self.files.get(name) if len(name) == 64 else None
        return None if stored is None else await self.files.read(stored.sha256)

    async def _zalo_chat(self, chat_id: int) -> str:
        found = await self.ids.zalo(abs(chat_id))
        if found is None:
            raise ZaloApiError(400, "Bad Request: chat not found")
        return found

    # --- updates from Zalo ----------------------------------------------------------------
    async def to_update(self, raw: Any) -> JSON | None:
        """A Zalo update as a Bot API Update; None when there is nothing to hand on.

        A message seen before (a second delivery) is dropped; a protected
        user's message is answered politely here and nothing of it is kept;
        a photo is fetched at once, as Zalo's URLs expire.
        """
        update = translate.unwrap(raw)
        if update is None:
            log.warning("a Zalo update without a message was ignored")
            return None
        message: JSON = update["message"]
        event = str(update.get("event_name", ""))
        message_id = str(message.get("message_id") or "")
        sender = message.get("from") or {}
        chat_zalo = str((message.get("chat") or {}).get("id") or sender.get("id") or "")
        if not message_id or not chat_zalo or not await self.ids.first_sight(message_id):
            return None
        if event == translate.UNSUPPORTED_RECEIVED:
            await self._say(chat_zalo, _protected())
            return None
        content = await self._content(event, message, chat_zalo)
        if content is None:
            return None
        group = str((message.get("chat") or {}).get("chat_type", "")).upper() == "GROUP"
        chat_id = await self.ids.local(chat_zalo)
        user_id = await self.ids.local(str(sender.get("id") or chat_zalo))
        body = translate.telegram_message(
            message,
            message_id=next(self._message_ids),
            user_id=user_id,
            chat_id=-chat_id if group else chat_id,
            content=content,
        )
        return {"update_id": next(self._update_ids), "message": body}

    async def _content(self, event: str, message: JSON, chat_zalo: str) -> JSON | None:
        if event == translate.TEXT_RECEIVED:
            text = str(message.get("text") or "")
            return translate.text_content(text) if text.strip() else None
        if event == translate.STICKER_RECEIVED:
            return translate.sticker_content(str(message.get("sticker") or ""))
        if event == translate.IMAGE_RECEIVED:
            return await self._photo(message, chat_zalo)
        log.info("a Zalo update %r was ignored", event)
        return None

    async def _photo(self, message: JSON, chat_zalo: str) -> JSON | None:
        """Fetch the photo now and keep it; if that fails, ask the person to send it again."""
        url = translate.photo_url(message)
        caption = str(message.get("caption") or "") or None
        try:
            if url is None:
                raise ZaloApiError(400, "an image message without a photo URL")
            data, mime = await self.api.download(url)
            stored = await self.files.put(data, _image_type(mime))
        except (ZaloApiError, FileTooLarge) as exc:
            log.warning("could not keep a photo sent on Zalo: %s", exc)
            await self._say(chat_zalo, _photo_lost())
            return None
        return translate.photo_content(stored.ref, stored.sha256, stored.size, caption)

    async def _say(self, chat_zalo: str, text: str) -> None:
        """A word of the gateway's own; a failure is only logged (the person wrote, not us)."""
        try:
            await self.api.call("sendMessage", {"chat_id": chat_zalo, "text": text})
        except ZaloApiError as exc:
            log.warning("could not answer on Zalo: %s", exc)


def _image_type(mime: str | None) -> str:
    kind = (mime or "").split(";", 1)[0].strip().lower()
    return kind if kind.startswith("image/") else "image/jpeg"


def _protected() -> str:
    return _(
        "Thank you for your message. Zalo does not let this bot read messages from your"
        " account, so we cannot answer here. Please contact the commune office directly."
    )


def _photo_lost() -> str:
    return _("Sorry, your photo could not be received. Please send it again.")


def attachment_note(kind: str) -> str:
    """What is said in place of a file Zalo cannot be given (it only takes photos by public URL).

    The bot keeps its files privately and serves none on a public address,
    so a Zalo user reads that there is one, kept with their case or answer.
    """
    if kind == "photo":
        return _(
            "(An image is attached to this message; it is kept with your case at the commune office.)"
        )
    return _(
        "(A file is attached to this message; it is kept with your case at the commune office.)"
    )


def made_note() -> str:
    """What is said in place of a file a handler made (a report's .docx, a paper to print):
    where the person can have it, since Zalo Bot takes no files and the bot serves none."""
    return _(
        "(Zalo Bot cannot carry files, so the file is not attached here. The same step with"
        " the commune's bot on Telegram or its Zalo OA brings it; the commune office has it too.)"
    )


def report_note(name: str) -> str:
    """What is said in place of a report the bot made (a reminder's draft .docx): Zalo
    Bot takes no files and the bot serves none, so where the officer can get it."""
    return _(
        "(Zalo Bot cannot carry files, so {name} is not attached here. Send “/report” to the"
        " commune's bot on Telegram or to its Zalo OA to get the report as a Word file.)"
    ).format(name=name)


class ZaloBotRequest(BaseRequest):
    """python-telegram-bot's transport, answering every call through the gateway."""

    def __init__(self, gateway: ZaloBotGateway) -> None:
        self._gateway = gateway

    @property
    def read_timeout(self) -> float | None:
        return 20.0

    async def initialize(self) -> None:
        await self._gateway.open()

    async def shutdown(self) -> None:
        await self._gateway.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        gateway = self._gateway
        if method == "GET":  # a download of a getFile path
            data = await gateway.read_file(url)
            return (
                (200, data)
                if data is not None
                else (404, b'{"ok":false,"description":"Not Found"}')
            )
        params: JSON = dict(request_data.parameters) if request_data is not None else {}
        try:
            result = await gateway.call(url.rsplit("/", 1)[-1], params)
        except ZaloApiError as exc:
            return bot_api_error(exc)
        return 200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode()
