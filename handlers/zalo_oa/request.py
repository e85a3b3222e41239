"""The Bot API calls of the OA's Application, answered by speaking the OA Open API v3.

The handlers are the Telegram ones: they call `sendMessage`, `sendPhoto`,
`answerCallbackQuery`... on their application's bot. This request class
(python-telegram-bot's `BaseRequest`) serves those calls: a send becomes a
consultation message (`outbound.py`), what has no meaning on Zalo (menus,
callback answers, chat actions) succeeds doing nothing, and a file the bot
keeps is read from its FileStore (the webhook stored it on arrival, so
`getFile` and the download return the stored bytes).

| Bot API call                        | on the OA                                     |
|-------------------------------------|-----------------------------------------------|
| getMe                               | the OA as a bot user                          |
| sendMessage, edit*Text/Caption      | a new text (no edits on Zalo), buttons below  |
| sendPhoto with a kept file or bytes | upload/image, then a media message, then text |
| sendDocument (PDF, Word up to 5 MB) | upload/file, then a file message, then text   |
| sendVoice, sendVideo, other files   | the caption only (the OA cannot send them)    |
| getFile, the file download          | the bytes in the FileStore                    |
| answerCallbackQuery with a text     | the text as a message (Zalo has no toasts)    |
| editMessageReplyMarkup, deleteMessage, setMyCommands... | nothing; success   |
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from telegram.request import BaseRequest, RequestData

from bot.messaging import markup
from bot.messaging.files import FileStore, StoredFile, sha256_of
from bot.messaging.notify import DeliveryError, Verdict
from handlers.telegram import words
from handlers.telegram.plain_request import PRESS_PREFIX, keeping_choices
from handlers.zalo_oa.api import FAILURES, classify
from handlers.zalo_oa.events import CALLBACK_PREFIX
from handlers.zalo_oa.outbound import OAButton, Outbound, sendable

log = logging.getLogger(__name__)

BOT_ID = 777000001  # the OA as the handlers' bot user
_NOTHING = frozenset(
    {
        "sendChatAction",
        "setMyCommands",
        "deleteMyCommands",
        "setChatMenuButton",
        "setMyDescription",
        "setMyShortDescription",
        "setWebhook",
        "deleteWebhook",
        "editMessageReplyMarkup",
        "deleteMessage",
        "close",
        "logOut",
    }
)
_SENDS_FILE = ("sendPhoto", "sendDocument", "sendVoice", "sendAudio", "sendVideo")
_STATUS = {Verdict.REFUSED: 403, Verdict.DOWN: 401, Verdict.RETRY: 502, Verdict.FAILED: 400}


def bot_user(name: str) -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": name, "username": "zalo_oa_bot"}


class ZaloOARequest(BaseRequest):
    """python-telegram-bot's transport for the OA application: Bot API in, OA Open API out."""

    def __init__(self, outbound: Outbound, files: FileStore, name: str) -> None:
        self._outbound = outbound
        self._files = files
        self._name = name

    @property
    def read_timeout(self) -> float | None:
        return 30.0

    async def initialize(self) -> None:
        """The OA client's connections belong to whoever made it."""

    async def shutdown(self) -> None:
        """As `initialize`: nothing of its own to close."""

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
        if "/file/bot" in url:  # a download of what getFile returned
            return await self._download(url.rsplit("/", 1)[-1])
        call = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files = request_data.multipart_data if request_data else {}
        try:
            result = await self._answer(call, params, files)
        except DeliveryError as exc:
            return _error(_STATUS[exc.verdict], str(exc))
        except FAILURES as exc:
            refused = classify(exc)
            return _error(_STATUS[refused.verdict], str(refused))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    async def _answer(self, call: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if call == "getMe":
            return bot_user(self._name)
        if call in _NOTHING:
            return True
        if call == "answerCallbackQuery":
            return await self._answer_press(params)
        if call == "getMyCommands":
            return []
        if call == "getChat":
            return {"id": int(params["chat_id"]), "type": "private"}
        if call == "getFile":
            return await self._file(str(params["file_id"]))
        if call in ("sendMessage", "editMessageText", "editMessageCaption"):
            text = params.get("text", params.get("caption", ""))
            return await self._send(params, text)
        if call in _SENDS_FILE:
            kept = await self._kept(call, params, files)
            image, document = (kept, None) if call == "sendPhoto" else (None, kept)
            return await self._send(params, params.get("caption", ""), image, document)
        raise DeliveryError(f"Bad Request: {call} is not available on Zalo OA", Verdict.FAILED)

    async def _answer_press(self, params: dict[str, Any]) -> bool:
        """A press's notice ("no longer valid") as a message: Zalo shows no toasts.

        A tapped button's press (`CALLBACK_PREFIX`) or a typed number's
        (`PRESS_PREFIX`, from `handlers/telegram/choices.py`); the note leaves
        the chat's open list as it is.
        """
        text = str(params.get("text") or "")
        press = str(params.get("callback_query_id", ""))
        if press.startswith(CALLBACK_PREFIX):
            user_id = press.removeprefix(CALLBACK_PREFIX).split("-", 1)[0]
        else:
            user_id = press.removeprefix(PRESS_PREFIX).split(":", 1)[0]
        if text and press.startswith((CALLBACK_PREFIX, PRESS_PREFIX)) and user_id.isdigit():
            with keeping_choices():
                await self._outbound.send(user_id, text, answering=True)
        return True

    async def _send(
        self,
        params: dict[str, Any],
        text: str,
        image: StoredFile | None = None,
        document: StoredFile | None = None,
    ) -> Any:
        chat_id = int(params["chat_id"])
        if params.get("parse_mode") == "HTML":
            text = markup.to_plain(text)
        text = words.spoken(text)  # no slashes on Zalo; the handler's language is current
        buttons = _buttons(params.get("reply_markup"))
        message_id = await self._outbound.send(
            str(chat_id), text, buttons, image, document, answering=True
        )
        sent: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": bot_user(self._name),
            "text": text,
        }
        # The file goes back as Telegram would return it, named by the kept file's
        # reference: a sender caches that as this channel's id of the file and
        # sends it by it next time (`_kept` reads it back from the FileStore).
        if image is not None:
            sent["photo"] = [{**_file_entry(image), "width": 0, "height": 0}]
        elif document is not None and sendable(document):  # else its caption went alone
            sent["document"] = {**_file_entry(document), "file_name": document.filename or "file"}
        return sent

    async def _kept(
        self, call: str, params: dict[str, Any], files: dict[str, Any]
    ) -> StoredFile | None:
        """The kept file a sendPhoto or sendDocument names or uploads; None for the rest."""
        field = {"sendPhoto": "photo", "sendDocument": "document"}.get(call)
        if field is None:
            log.warning("Zalo OA cannot send %s: sending its caption only", call)
            return None
        ref = params.get(field)
        if isinstance(ref, str):
            sha256 = sha256_of(ref) or ref  # our getFile paths are bare sha256s
            found = await self._files.get(sha256) if len(sha256) == 64 else None
            if found is None:
                log.warning("Zalo OA: %s %r is not a kept file: caption only", field, ref[:80])
            return found
        upload = files.get(field)
        if upload is None:
            return None
        name, content, mime = upload[0], upload[1], upload[2]
        data = content if isinstance(content, bytes) else content.read()
        guessed = "image/jpeg" if field == "photo" else mime
        return await self._files.put(data, guessed, name)

    async def _file(self, file_id: str) -> dict[str, Any]:
        sha256 = sha256_of(file_id)
        found = await self._files.get(sha256) if sha256 else None
        if found is None:
            raise DeliveryError("Bad Request: wrong file_id specified", Verdict.FAILED)
        return {
            "file_id": file_id,
            "file_unique_id": found.sha256[:16],
            "file_size": found.size,
            "file_path": found.sha256,
        }

    async def _download(self, sha256: str) -> tuple[int, bytes]:
        if len(sha256) != 64 or await self._files.get(sha256) is None:
            return 404, b"Not Found"
        return 200, await self._files.read(sha256)


def _buttons(reply_markup: Any) -> list[OAButton]:
    """Inline buttons (actions, links) and keyboard buttons (their label is the reply)."""
    if isinstance(reply_markup, str):
        reply_markup = json.loads(reply_markup)
    if not isinstance(reply_markup, dict):
        return []
    found: list[OAButton] = []
    for row in reply_markup.get("inline_keyboard", []):
        for b in row:
            found.append(OAButton(b["text"], data=b.get("callback_data"), url=b.get("url")))
    for row in reply_markup.get("keyboard", []):
        for b in row:
            found.append(OAButton(b["text"] if isinstance(b, dict) else str(b)))
    return found


def _file_entry(kept: StoredFile) -> dict[str, Any]:
    return {"file_id": kept.ref, "file_unique_id": kept.sha256[:16], "file_size": kept.size}


def _error(status: int, description: str) -> tuple[int, bytes]:
    body = {"ok": False, "error_code": status, "description": description}
    return status, json.dumps(body).encode()
