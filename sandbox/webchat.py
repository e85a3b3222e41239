"""The web chat page and its JSON API (personas, event long-poll, send, press, upload)."""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from typing import Any
from urllib.parse import quote

from sandbox import actions, zalo
from sandbox.botapi import BaseHandler
from sandbox.models import JSON, ChatRec, Event, Persona, UserRec
from sandbox.state import SandboxState

MAX_WAIT = 30.0
_CLIENT_ERRORS = (AssertionError, ValueError, KeyError, TypeError)


def persona_json(state: SandboxState, persona: Persona) -> JSON:
    """A persona as the page lists it."""
    user = state.users.get(persona.id)
    return {
        "id": persona.id,
        "first_name": persona.first_name,
        "last_name": persona.last_name,
        "username": persona.username,
        "language_code": persona.language_code,
        "role": persona.role,
        "phone": persona.phone,
        "blocked": bool(user and user.blocked),
        "channel": persona.channel,
    }


def expand(chat: ChatRec, seq: int, event: Event) -> JSON:
    """An event as JSON, with the current content of the message it concerns."""
    kind, message_id, extra = event
    out: JSON = {"seq": seq, "type": kind, **(extra or {})}
    if message_id:
        out["message_id"] = message_id
    rec = chat.messages.get(message_id)
    if rec is not None and kind in ("message", "edited"):
        out.update(
            message=rec.data,
            outgoing=not rec.from_bot,
            kind=rec.kind,
            edit_count=rec.edit_count,
            deleted=rec.deleted,
        )
    return out


def chat_state(state: SandboxState, chat: ChatRec) -> JSON:
    """What the page shows around the messages: keyboard, commands, blocked flag."""
    user = chat.user
    return {
        "reply_keyboard": chat.reply_keyboard,
        "keyboard_hidden": chat.keyboard_hidden,
        "force_reply": chat.force_reply is not None,
        "commands": state.commands_for(chat.id, user.language_code if user else None),
        "blocked": bool(user and user.blocked),
    }


class PageHandler(BaseHandler):
    """GET /: the single-page web chat."""

    page: bytes | None = None

    def get(self) -> None:
        if PageHandler.page is None:
            ref = resources.files("sandbox").joinpath("static/chat.html")
            PageHandler.page = ref.read_bytes()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(PageHandler.page)


class JsonHandler(BaseHandler):
    """Helpers for the /api routes."""

    def body_json(self) -> JSON:
        """The JSON request body ({} when empty)."""
        if not self.request.body:
            return {}
        try:
            data = json.loads(self.request.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise AssertionError("request body must be a JSON object")
        return data

    def ok(self, data: Any) -> None:
        """200 with a JSON body."""
        self.answer(200, {"ok": True, "result": data})

    def chat_and_user(self, chat_id: str, sender: Any) -> tuple[ChatRec, UserRec]:
        """The chat of the URL and the acting user (the chat's own user in private chats)."""
        chat = self.state.chats.get(int(chat_id))
        if chat is None:
            raise AssertionError(f"no chat {chat_id}")
        if chat.user is not None:
            return chat, chat.user
        user = self.state.users.get(int(sender)) if sender is not None else None
        if user is None:
            raise AssertionError("posting in a group needs 'from': a known user id")
        return chat, user

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        self.answer(status_code, {"ok": False, "error": str(exc or self._reason)})

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, _CLIENT_ERRORS):
            super().log_exception(typ, value, tb)

    def send_error(self, status_code: int = 500, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        super().send_error(400 if isinstance(exc, _CLIENT_ERRORS) else status_code, **kwargs)


class PersonasHandler(JsonHandler):
    """GET/POST /api/personas."""

    def get(self) -> None:
        state = self.state
        groups = [
            {"id": c.id, "title": c.title, "type": c.type}
            for c in state.chats.values()
            if c.type != "private"
        ]
        personas = [persona_json(state, p) for p in state.personas.values()]
        self.ok(
            {
                "bot": state.bot_user,
                "personas": personas,
                "groups": groups,
                "instance": state.instance,
            }
        )

    def post(self) -> None:
        body = self.body_json()
        first = str(body.get("first_name") or "").strip()
        if not first:
            raise AssertionError("first_name is required")
        new_id = max([1000, *(p.id for p in self.state.personas.values() if p.id < 9000)]) + 1
        persona = Persona(
            id=new_id,
            first_name=first,
            last_name=str(body.get("last_name") or "").strip(),
            language_code=str(body.get("language_code") or "vi"),
            role=str(body.get("role") or "citizen"),
            phone=body.get("phone") or None,
            channel=zalo.ZALO if body.get("channel") == zalo.ZALO else "telegram",
        )
        self.state.add_persona(persona)
        self.ok(persona_json(self.state, persona))


class EventsHandler(JsonHandler):
    """GET /api/chats/<id>/events?after=N&wait=S: long-poll for the chat's events."""

    waiter: asyncio.Future[None] | None = None

    def on_connection_close(self) -> None:
        super().on_connection_close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def get(self, chat_id: str) -> None:
        chat = self.state.chats.get(int(chat_id))
        if chat is None:
            raise AssertionError(f"no chat {chat_id}")
        after = max(0, int(self.get_query_argument("after", "0")))
        wait = min(float(self.get_query_argument("wait", "0")), MAX_WAIT)
        # Wait only when caught up: an `after` past the end (the sandbox restarted under an
        # open page) answers at once, and `next` < `after` tells the page to start over.
        if len(chat.events) == after and wait > 0:
            waiter = self.waiter = chat.changed()
            try:
                await asyncio.wait({waiter}, timeout=wait)
            finally:
                if not waiter.done():
                    waiter.cancel()
                if waiter in chat.waiters:  # timed out: don't let idle pages pile up futures
                    chat.waiters.remove(waiter)
        events = [expand(chat, after + i + 1, e) for i, e in enumerate(chat.events[after:])]
        self.ok({"events": events, "next": len(chat.events), "state": chat_state(self.state, chat)})


class ActionHandler(JsonHandler):
    """POST /api/chats/<id>/<action>: send, press, reply_button, edit, block, upload."""

    def post(self, chat_id: str, action: str) -> None:
        state = self.state
        if action == "upload":
            self.ok(self._upload(chat_id))
            return
        body = self.body_json()
        chat, user = self.chat_and_user(chat_id, body.get("from"))
        result: Any
        if user.channel == zalo.ZALO:
            self.ok(self._zalo(user, action, body))
            return
        if action == "send":
            result = self._send(chat, user, body).data
        elif action == "press":
            query = actions.callback(state, user, chat, int(body["message_id"]), body.get("data"))
            result = {"query_id": query.id}
        elif action == "reply_button":
            result = actions.press_reply_button(state, user, chat, str(body["text"])).data
        elif action == "edit":
            result = actions.edit(state, user, chat, int(body["message_id"]), str(body["text"]))
        elif action == "block":
            actions.set_blocked(state, user, bool(body.get("blocked", True)))
            result = {"blocked": user.blocked}
        else:
            raise AssertionError(f"unknown action {action!r}")
        self.ok(result)

    def _send(self, chat: ChatRec, user: UserRec, body: JSON) -> Any:
        state = self.state
        reply_to = body.get("reply_to")
        reply = int(reply_to) if reply_to else None
        if "location" in body:
            loc = body["location"] or {}
            lat, lon = loc.get("latitude"), loc.get("longitude")
            if lat is None or lon is None:
                lat, lon = actions.DEFAULT_LOCATION
            content = {"location": {"latitude": float(lat), "longitude": float(lon)}}
            return actions.post(state, user, chat, content, "location", reply)
        if "contact" in body:
            phone = user.phone or f"+8490{user.id % 10_000_000:07d}"
            content = actions.contact_content(user, phone, user.first_name, user.last_name)
            return actions.post(state, user, chat, content, "contact", reply)
        if body.get("sticker"):
            return actions.post(state, user, chat, actions.sticker_content(state, "👍"), "sticker")
        text = str(body.get("text") or "")
        if not text.strip():
            raise AssertionError("text is empty")
        return actions.post(state, user, chat, actions.text_content(text), "text", reply)

    def _zalo(self, user: UserRec, action: str, body: JSON) -> Any:
        """A Zalo user: texts, stickers and (upload) photos; Zalo has no buttons or edits."""
        if action != "send":
            raise AssertionError(f"Zalo has no {action!r}: only texts, photos and stickers")
        if body.get("sticker"):
            return zalo.send_sticker(self.state, user)[0].data
        text = str(body.get("text") or "")
        if not text.strip():
            raise AssertionError("text is empty")
        if body.get("protected"):
            return zalo.send_protected(self.state, user, text)[0].data
        return zalo.send_text(self.state, user, text)[0].data

    def _upload(self, chat_id: str) -> JSON:
        state = self.state
        form = {k: v[-1].decode() for k, v in self.request.body_arguments.items()}
        chat, user = self.chat_and_user(chat_id, form.get("from"))
        parts = self.request.files.get("file")
        if not parts:
            raise AssertionError("no file in the upload")
        part = parts[-1]
        caption = form.get("caption") or None
        if user.channel == zalo.ZALO:
            if form.get("kind", "photo") != "photo":
                raise AssertionError("a Zalo Bot takes photos only")
            return zalo.send_photo(state, user, part.body, caption)[0].data
        if form.get("kind", "photo") == "photo":
            content = actions.photo_content(state, part.body, caption)
            return actions.post(state, user, chat, content, "photo").data
        mime = part.content_type or "application/octet-stream"
        content = actions.document_content(state, part.body, part.filename, mime, caption)
        return actions.post(state, user, chat, content, "document").data


class FileByIdHandler(BaseHandler):
    """GET /api/files/<file_id>: a stored file for the page (photos, documents)."""

    def get(self, file_id: str) -> None:
        rec = self.state.files.get(file_id)
        if rec is None or rec.data is None:
            self.answer(404, {"ok": False, "error": "no such file"})
            return
        self.set_header("Content-Type", rec.mime_type or "application/octet-stream")
        if rec.file_name:
            name = quote(rec.file_name)
            self.set_header("Content-Disposition", f"inline; filename*=UTF-8''{name}")
        self.finish(rec.data)
