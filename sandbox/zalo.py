"""The Zalo Bot API beside the Telegram one: `/zalo/bot<token>/<method>`, Zalo's shapes, one chat store.

Faithful to what Zalo's platform does differently from Telegram:
- getUpdates answers ONE update (`result` is an object, not a list) and,
  when none came within the wait, `{"ok": false, "error_code": 408}`;
- ids are strings (a user's id is also their chat's), dates epoch milliseconds;
- updates carry `event_name`: message.text.received, message.image.received
  (a `photo_url` that expires), message.sticker.received, and
  message.unsupported.received (a protected user: no content at all);
- no buttons, no edits; a text holds 1 to 2,000 characters; sendPhoto takes a URL;
- webhook calls carry `X-Bot-Api-Secret-Token`.
Zalo users are ordinary sandbox users (`channel="zalo_bot"`): their chats
hold both sides of the conversation, so the web page and the harness show them.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import Any

import tornado.httpclient
import tornado.web

from sandbox import actions
from sandbox.botapi import BaseHandler
from sandbox.errors import ApiError
from sandbox.files import SAMPLE_PNG
from sandbox.models import JSON, CallRecord, ChatRec, MessageRec, UserRec
from sandbox.state import SandboxState
from sandbox.zalobot import now_ms, zalo_id_of

ZALO = "zalo_bot"
TEXT_LIMIT = 2000
NO_UPDATE = ApiError(408, "Request timeout")
SECRET_HEADER = "X-Bot-Api-Secret-Token"


# --- what Zalo users do -------------------------------------------------------------------
def _message(state: SandboxState, user: UserRec, **content: Any) -> JSON:
    zalo_id = zalo_id_of(user.id)
    state.zalo.by_zalo[zalo_id] = user.id
    return {
        "from": {"id": zalo_id, "display_name": user.full_name, "is_bot": False},
        "chat": {"id": zalo_id, "chat_type": "PRIVATE"},
        "message_id": secrets.token_hex(10),
        "date": now_ms(),
        **content,
    }


def _show(state: SandboxState, user: UserRec, content: JSON, kind: str) -> MessageRec:
    if user.blocked:
        raise AssertionError(f"user {user.id} has blocked the bot; call unblock() first")
    user.started = True
    return state.new_message(state.chats[user.id], content, kind, sender=user)


def send_text(state: SandboxState, user: UserRec, text: str) -> tuple[MessageRec, JSON]:
    """A Zalo user writes: message.text.received."""
    rec = _show(state, user, {"text": text}, "text")
    return rec, state.zalo.push("message.text.received", _message(state, user, text=text))


def send_photo(
    state: SandboxState, user: UserRec, data: bytes | None = None, caption: str | None = None
) -> tuple[MessageRec, JSON]:
    """A Zalo user sends a photo: message.image.received with a photo_url that expires."""
    content = actions.photo_content(state, data or SAMPLE_PNG, caption)
    rec = _show(state, user, content, "photo")
    largest = content["photo"][-1]["file_id"]
    expires = int(time.time() + state.zalo.photo_ttl)
    url = f"{state.zalo.root}/photos/{largest}?expires={expires}"
    fields: JSON = {"photo_url": url}
    if caption:
        fields["caption"] = caption
    return rec, state.zalo.push("message.image.received", _message(state, user, **fields))


def send_sticker(state: SandboxState, user: UserRec) -> tuple[MessageRec, JSON]:
    """A Zalo user sends a sticker: message.sticker.received."""
    rec = _show(state, user, actions.sticker_content(state, "👍"), "sticker")
    sticker = secrets.token_hex(10)
    fields = {"sticker": sticker, "url": f"https://zalo-api.zadn.vn/api/emoticon/sticker/{sticker}"}
    return rec, state.zalo.push("message.sticker.received", _message(state, user, **fields))


def send_protected(state: SandboxState, user: UserRec, text: str) -> tuple[MessageRec, JSON]:
    """A protected user (a minor) writes: Zalo passes on no content at all."""
    rec = _show(state, user, {"text": text}, "text")
    return rec, state.zalo.push("message.unsupported.received", _message(state, user))


# --- the bot's side -----------------------------------------------------------------------
def _chat(state: SandboxState, params: JSON) -> ChatRec:
    zalo_id = str(params.get("chat_id") or "")
    user_id = state.zalo.by_zalo.get(zalo_id)
    if user_id is None:  # a persona or a user from the history, not seen writing yet
        found = (u.id for u in state.users.values() if u.channel == ZALO)
        user_id = next((i for i in found if zalo_id_of(i) == zalo_id), None)
        if user_id is not None:
            state.zalo.by_zalo[zalo_id] = user_id
    chat = state.chats.get(user_id) if user_id is not None else None
    if chat is None or chat.user is None:
        raise ApiError(400, "Bad Request: chat not found")
    if chat.user.blocked:
        raise ApiError(403, "Forbidden: the user has blocked the bot")
    return chat


def _sent(state: SandboxState, chat: ChatRec, content: JSON, kind: str) -> JSON:
    content = {**content, "from": _bot_user(state)}
    state.new_message(chat, content, kind)
    return {"message_id": secrets.token_hex(10), "date": now_ms()}


def _bot_user(state: SandboxState) -> JSON:
    return {"id": 0, "is_bot": True, "first_name": "Dân vận (Zalo)", "username": "zalo_bot"}


def _text(params: JSON, key: str, required: bool) -> str | None:
    value = params.get(key)
    if value is None and not required:
        return None
    text = str(value or "")
    if not 1 <= len(text) <= TEXT_LIMIT:
        raise ApiError(400, f"Bad Request: {key} must be 1 to {TEXT_LIMIT} characters")
    return text


def _send_message(state: SandboxState, params: JSON) -> JSON:
    text = _text(params, "text", True)
    return _sent(state, _chat(state, params), {"text": text}, "text")


def _send_photo(state: SandboxState, params: JSON) -> JSON:
    photo = str(params.get("photo") or "")
    if not photo.startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: photo must be a URL")
    caption = _text(params, "caption", False)
    chat = _chat(state, params)
    content: JSON = {"photo": state.files.photo_sizes(None, url=photo)}
    if caption:
        content["caption"] = caption
    return _sent(state, chat, content, "photo")


def _send_sticker(state: SandboxState, params: JSON) -> JSON:
    chat = _chat(state, params)
    return _sent(state, chat, actions.sticker_content(state, "🙂"), "sticker")


def _chat_action(state: SandboxState, params: JSON) -> bool:
    chat = _chat(state, params)
    state.emit(chat, "chat_action", action=str(params.get("action") or "typing"))
    return True


def _set_webhook(state: SandboxState, params: JSON) -> JSON:
    url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
    if not url.startswith(("https://", "http://")):
        raise ApiError(400, "Bad Request: url must be an HTTPS URL")
    if not 8 <= len(secret) <= 256:
        raise ApiError(400, "Bad Request: secret_token must be 8 to 256 characters")
    state.zalo.webhook = {"url": url, "updated_at": now_ms()}
    state.zalo.webhook_secret = secret
    return dict(state.zalo.webhook)


def _delete_webhook(state: SandboxState, params: JSON) -> JSON:
    state.zalo.webhook = {"url": "", "updated_at": now_ms()}
    state.zalo.webhook_secret = None
    return dict(state.zalo.webhook)


METHODS: dict[str, Any] = {
    "getme": lambda state, params: dict(state.zalo.me),
    "sendmessage": _send_message,
    "sendphoto": _send_photo,
    "sendsticker": _send_sticker,
    "sendchataction": _chat_action,
    "setwebhook": _set_webhook,
    "deletewebhook": _delete_webhook,
    "getwebhookinfo": lambda state, params: dict(state.zalo.webhook),
}


class ZaloApiHandler(BaseHandler):
    """POST /zalo/bot<token>/<method>: Zalo's answers, `{ok, result}` or `{ok: false, error_code}`."""

    async def post(self, token: str, method: str) -> None:
        state = self.state
        name = method.lower()
        params: JSON = {}
        try:
            if token != state.zalo.token:
                raise ApiError(401, "Unauthorized")
            params = _params(self.request)
            result = await self._call(name, params)
        except ApiError as err:
            self._record(method, params, err.status, err.description)
            self.answer(200, err.payload())  # Zalo answers its errors with HTTP 200
            return
        self._record(method, params, 200, None)
        self.answer(200, {"ok": True, "result": result})

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def _call(self, name: str, params: JSON) -> Any:
        state = self.state
        explicit = any(
            f.method and f.method.lower() == f"zalo.{name}" for f in state.faults.pending
        )
        if name != "getupdates" or explicit:
            fault = state.faults.take(f"zalo.{name}", params.get("chat_id"))
            if fault is not None:
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                error = fault.error()
                if error is not None:
                    raise error
        if name == "getupdates":
            if state.zalo.webhook.get("url"):
                raise ApiError(409, "Conflict: a webhook is set; call deleteWebhook first")
            update = await state.zalo.next_update(_seconds(params.get("timeout"), 30.0))
            if update is None:
                raise NO_UPDATE
            return update
        handler = METHODS.get(name)
        if handler is None:
            raise ApiError(404, "Not Found")
        return handler(state, params)

    def _record(self, method: str, params: JSON, status: int, text: str | None) -> None:
        chat = params.get("chat_id")
        self.state.calls.append(
            CallRecord(f"zalo.{method}", params, chat, time.time(), status, text)
        )


def _params(request: Any) -> JSON:
    raw: JSON = {k: v[-1].decode() for k, v in request.query_arguments.items()}
    if request.body and request.headers.get("Content-Type", "").startswith("application/json"):
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON request body") from None
        if isinstance(body, dict):
            raw.update(body)
    else:
        raw.update({k: v[-1].decode() for k, v in request.body_arguments.items()})
    return raw


def _seconds(value: Any, default: float) -> float:
    try:
        return max(0.0, min(float(value), 60.0))
    except (TypeError, ValueError):
        return default


class ZaloPhotoHandler(BaseHandler):
    """GET /zalo/photos/<file_id>?expires=T: a photo a Zalo user sent, until its link expires."""

    def get(self, file_id: str) -> None:
        rec = self.state.files.get(file_id)
        expires = float(self.get_query_argument("expires", "0"))
        if rec is None or rec.data is None or time.time() > expires:
            self.set_status(404)
            self.finish()
            return
        self.set_header("Content-Type", rec.mime_type or "image/jpeg")
        self.finish(rec.data)


class ZaloWebhookDelivery:
    """Posts each pending update to the bot's webhook, as Zalo does, with the secret header.

    `flat`: the body is the update itself rather than `{"ok": true, "result": …}`
    (Zalo has been seen sending both).
    """

    def __init__(self, state: SandboxState, target: str, flat: bool = False) -> None:
        self.state = state
        self.target = target
        self.flat = flat
        self.errors: list[str] = []
        self._task: asyncio.Task[None] | None = None
        self._client = tornado.httpclient.AsyncHTTPClient(force_instance=True)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._client.close()

    async def _run(self) -> None:
        zalo = self.state.zalo
        while True:
            if not zalo.pending:
                await zalo.changed()
                continue
            update = zalo.pending[0]
            if await self._post(update):
                zalo.pending.popleft()
                zalo.delivered += 1
            else:
                await asyncio.sleep(0.5)  # Zalo retries a failed delivery later

    async def _post(self, update: JSON) -> bool:
        url = self.state.zalo.webhook.get("url") or ""
        path = "/" + url.split("://", 1)[-1].partition("/")[2]
        body = update if self.flat else {"ok": True, "result": update}
        headers = {
            "Content-Type": "application/json",
            SECRET_HEADER: self.state.zalo.webhook_secret or "",
        }
        try:
            response = await self._client.fetch(
                self.target.rstrip("/") + path,
                method="POST",
                body=json.dumps(body, ensure_ascii=False),
                headers=headers,
                raise_error=False,
            )
        except OSError as exc:
            self.errors.append(str(exc))
            return False
        if response.code != 200:
            self.errors.append(f"HTTP {response.code}")
        return response.code == 200
