"""Tornado handlers for POST /bot<token>/<method> and GET /file/bot<token>/<path>."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

import tornado.web

from sandbox import api_copy, api_edit, api_misc, api_send
from sandbox.errors import ApiError
from sandbox.models import CallRecord
from sandbox.params import Params, Upload
from sandbox.state import SandboxState

Handler = Callable[[SandboxState, Params], Any]
_TOKEN_SHAPE = re.compile(r"^\d+:[\w-]+$")
_NOT_FOUND = ApiError(404, "Not Found")

METHODS: dict[str, Handler] = {
    "getme": api_misc.get_me,
    "logout": api_misc.accept,
    "close": api_misc.accept,
    "setwebhook": api_misc.set_webhook,
    "deletewebhook": api_misc.delete_webhook,
    "getwebhookinfo": api_misc.get_webhook_info,
    "sendmessage": api_send.send_message,
    "sendphoto": api_send.send_media("photo"),
    "senddocument": api_send.send_media("document"),
    "sendvoice": api_send.send_media("voice"),
    "sendaudio": api_send.send_media("audio"),
    "sendvideo": api_send.send_media("video"),
    "sendanimation": api_send.send_media("animation"),
    "sendsticker": api_send.send_media("sticker"),
    "sendlocation": api_send.send_location,
    "sendcontact": api_send.send_contact,
    "sendmediagroup": api_copy.send_media_group,
    "copymessage": api_copy.copy_message,
    "forwardmessage": api_copy.forward_message,
    "sendchataction": api_copy.send_chat_action,
    "editmessagetext": api_edit.edit_message_text,
    "editmessagecaption": api_edit.edit_message_caption,
    "editmessagereplymarkup": api_edit.edit_message_reply_markup,
    "deletemessage": api_edit.delete_message,
    "deletemessages": api_edit.delete_messages,
    "answercallbackquery": api_edit.answer_callback_query,
    "setmycommands": api_misc.set_my_commands,
    "getmycommands": api_misc.get_my_commands,
    "deletemycommands": api_misc.delete_my_commands,
    "setchatmenubutton": api_misc.set_chat_menu_button,
    "getchatmenubutton": api_misc.get_chat_menu_button,
    "getchat": api_misc.get_chat,
    "getchatmember": api_misc.get_chat_member,
    "getfile": api_misc.get_file,
    "setmyname": api_misc.profile_setter("name"),
    "getmyname": api_misc.profile_getter("name"),
    "setmydescription": api_misc.profile_setter("description"),
    "getmydescription": api_misc.profile_getter("description"),
    "setmyshortdescription": api_misc.profile_setter("short_description"),
    "getmyshortdescription": api_misc.profile_getter("short_description"),
}
# Calls that count against flood limits (one message each; media groups count per item).
SENDING = frozenset(
    name for name in METHODS if name.startswith("send") and name != "sendchataction"
) | {"copymessage", "forwardmessage"}


def _decode(values: list[bytes]) -> str:
    return values[-1].decode("utf-8", "replace")


def parse_request(request: Any) -> Params:
    """Collect parameters from the query string, a JSON body, or form/multipart fields."""
    raw: dict[str, Any] = {k: _decode(v) for k, v in request.query_arguments.items()}
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json") and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if isinstance(body, dict):
            raw.update(body)
    else:
        raw.update({k: _decode(v) for k, v in request.body_arguments.items()})
    files = {
        name: Upload(parts[-1].filename, parts[-1].content_type, parts[-1].body)
        for name, parts in request.files.items()
        if parts
    }
    return Params(raw, files)


class BaseHandler(tornado.web.RequestHandler):
    """Shared JSON answering."""

    def initialize(self, state: SandboxState) -> None:
        self.state = state
        self.gone = False

    def compute_etag(self) -> None:
        return None

    def on_connection_close(self) -> None:
        self.gone = True

    def answer(self, status: int, body: dict[str, Any]) -> None:
        """Write a JSON answer (unless the client already hung up)."""
        if self.gone:
            return
        self.set_status(status, None if status in _KNOWN else "Error")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False, separators=(",", ":")))


_KNOWN = {200, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504}


class BotApiHandler(BaseHandler):
    """POST/GET /bot<token>/<method>."""

    poller: asyncio.Future[str] | None = None

    def on_connection_close(self) -> None:
        super().on_connection_close()
        if self.poller is not None and not self.poller.done():
            self.poller.set_result("closed")

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        state = self.state
        params: Params | None = None
        chat_id: Any = None
        try:
            if token != state.token:
                raise ApiError(401, "Unauthorized") if _TOKEN_SHAPE.match(token) else _NOT_FOUND
            handler = METHODS.get(method.lower())
            if handler is None:
                raise _NOT_FOUND
            params = parse_request(self.request)
            chat_id = params.raw.get("chat_id")
            result = await self._call(method.lower(), handler, params, chat_id)
        except ApiError as err:
            self._record(method, params, chat_id, err.status, err.description)
            self.answer(err.status, err.payload())
            return
        self._record(method, params, chat_id, 200, None)
        self.answer(200, {"ok": True, "result": result})

    async def _call(self, name: str, handler: Handler, params: Params, chat_id: Any) -> Any:
        state = self.state
        fault = state.faults.take(name, chat_id)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            error = fault.error()
            if error is not None:
                raise error
        if name in SENDING and state.limits.enabled:
            chat_key = _as_int(chat_id)
            chat = state.chats.get(chat_key) if chat_key is not None else None
            state.limits.check(chat_key, chat is not None and chat.type != "private")
        if name == "getupdates":
            self.poller = asyncio.get_running_loop().create_future()
            return await api_misc.get_updates(state, params, self.poller)
        return handler(state, params)

    def _record(
        self, method: str, params: Params | None, chat_id: Any, status: int, text: str | None
    ) -> None:
        raw = params.raw if params is not None else {}
        as_int = _as_int(chat_id)
        chat = as_int if as_int is not None else chat_id
        self.state.calls.append(CallRecord(method, raw, chat, time.time(), status, text))


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


METHODS["getupdates"] = api_misc.accept  # dispatched specially in BotApiHandler._call


class FileHandler(BaseHandler):
    """GET /file/bot<token>/<file_path>: the stored bytes."""

    def get(self, token: str, path: str) -> None:
        rec = self.state.files.by_path.get(path) if token == self.state.token else None
        if rec is None or rec.data is None:
            self.answer(404, _NOT_FOUND.payload())
            return
        self.set_header("Content-Type", rec.mime_type or "application/octet-stream")
        self.finish(rec.data)
