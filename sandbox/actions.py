"""What simulated users do: each action stores a message and queues the bot's update."""

from __future__ import annotations

import time
from typing import Any

from sandbox.entities import detect_entities
from sandbox.files import SAMPLE_OGG, SAMPLE_PNG
from sandbox.models import JSON, CallbackQueryRec, ChatRec, MessageRec, UserRec
from sandbox.state import SandboxState


def _ensure_can_send(user: UserRec) -> None:
    if user.blocked:
        raise AssertionError(f"user {user.id} has blocked the bot; call unblock() first")


def _reaches_bot(state: SandboxState, chat: ChatRec, content: JSON) -> bool:
    """Privacy mode: in groups the bot sees commands, mentions and replies to itself."""
    if chat.type == "private" or not state.privacy_mode:
        return True
    text = content.get("text") or content.get("caption") or ""
    if text.startswith("/") or f"@{state.bot_user['username']}".lower() in text.lower():
        return True
    reply = content.get("reply_to_message")
    return bool(reply and reply.get("from", {}).get("id") == state.bot_id)


def post(
    state: SandboxState,
    user: UserRec,
    chat: ChatRec,
    content: JSON,
    kind: str,
    reply_to: int | None = None,
) -> MessageRec:
    """Store a user's message in a chat and queue a "message" update for the bot."""
    _ensure_can_send(user)
    if chat.type == "private" and chat.id != user.id:
        raise AssertionError("users can only write in their own private chat")
    user.started = True
    if reply_to is not None:
        target = chat.messages.get(reply_to)
        if target is None:
            raise AssertionError(f"no message {reply_to} in chat {chat.id} to reply to")
        content = {**content, "reply_to_message": _without_reply(target.data)}
    rec = state.new_message(chat, content, kind, sender=user)
    if _reaches_bot(state, chat, rec.data):
        state.updates.push("message", rec.data)
    return rec


def _without_reply(data: JSON) -> JSON:
    return {k: v for k, v in data.items() if k != "reply_to_message"}


def text_content(text: str) -> JSON:
    """A text message body with the entities Telegram detects (bot_command, url...)."""
    content: JSON = {"text": text}
    found = detect_entities(text)
    if found:
        content["entities"] = found
    return content


def photo_content(state: SandboxState, data: bytes | None, caption: str | None) -> JSON:
    """A photo message body: PhotoSize array (+ caption)."""
    content: JSON = {"photo": state.files.photo_sizes(data or SAMPLE_PNG)}
    return _with_caption(content, caption)


def document_content(
    state: SandboxState, data: bytes, file_name: str, mime_type: str, caption: str | None
) -> JSON:
    """A document message body."""
    rec = state.files.add("document", data, file_name=file_name, mime_type=mime_type)
    return _with_caption({"document": state.files.describe(rec)}, caption)


def voice_content(state: SandboxState, data: bytes | None, duration: int) -> JSON:
    """A voice note message body."""
    rec = state.files.add("voice", data or SAMPLE_OGG, mime_type="audio/ogg")
    return {"voice": {**state.files.describe(rec), "duration": duration}}


def sticker_content(state: SandboxState, emoji: str) -> JSON:
    """A (static) sticker message body."""
    rec = state.files.add("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", size=(512, 512))
    sticker = {
        **state.files.describe(rec),
        "type": "regular",
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "set_name": "SandboxStickers",
    }
    return {"sticker": sticker}


def contact_content(user: UserRec, phone: str, first_name: str, last_name: str | None) -> JSON:
    """A contact body; user_id is set when it is the sender's own number."""
    contact: JSON = {"phone_number": phone, "first_name": first_name}
    if last_name:
        contact["last_name"] = last_name
    if user.phone is None or user.phone == phone:
        contact["user_id"] = user.id
    return {"contact": contact}


def forward_content(text: str, origin: str, source: UserRec | None, hidden_name: str) -> JSON:
    """A forwarded text: forward_origin of type "user" or "hidden_user"."""
    when = int(time.time()) - 60
    if origin == "user" and source is not None:
        forward: JSON = {"type": "user", "date": when, "sender_user": source.to_json()}
    elif origin == "hidden_user":
        forward = {"type": "hidden_user", "date": when, "sender_user_name": hidden_name}
    else:
        raise AssertionError('origin must be "user" (with a source user) or "hidden_user"')
    return {**text_content(text), "forward_origin": forward}


def _with_caption(content: JSON, caption: str | None) -> JSON:
    if caption:
        content["caption"] = caption
        found = detect_entities(caption)
        if found:
            content["caption_entities"] = found
    return content


def edit(state: SandboxState, user: UserRec, chat: ChatRec, message_id: int, text: str) -> JSON:
    """The user edits their own message: queues an "edited_message" update."""
    rec = chat.messages.get(message_id)
    if rec is None or rec.from_bot or rec.data.get("from", {}).get("id") != user.id:
        raise AssertionError(f"message {message_id} is not {user.id}'s own message")
    changes = text_content(text) if "text" in rec.data else {"caption": text}
    drop = ("entities",) if "text" in rec.data else ("caption_entities",)
    data = state.edit_message(rec, changes, drop=drop)
    if _reaches_bot(state, chat, data):
        state.updates.push("edited_message", data)
    return data


def callback(
    state: SandboxState, user: UserRec, chat: ChatRec, message_id: int, data: str | None
) -> CallbackQueryRec:
    """The user presses an inline button (or forges one): a "callback_query" update."""
    _ensure_can_send(user)
    rec = chat.messages.get(message_id)
    if rec is None:
        raise AssertionError(f"no message {message_id} in chat {chat.id}")
    message: JSON = rec.data
    if rec.deleted:
        message = {"chat": chat.to_json(), "message_id": message_id, "date": 0}
    query = CallbackQueryRec(state.next_query_id(), chat.id, message_id, user.id, data)
    state.callback_queries[query.id] = query
    payload: JSON = {
        "id": query.id,
        "from": user.to_json(),
        "message": message,
        "chat_instance": str(-(abs(chat.id) * 7919 + state.bot_id) % 10**19),
    }
    if data is not None:
        payload["data"] = data
    state.updates.push("callback_query", payload)
    return query


def set_blocked(state: SandboxState, user: UserRec, blocked: bool) -> None:
    """Block/unblock the bot: a my_chat_member update with "kicked"/"member"."""
    if user.blocked == blocked:
        return
    user.blocked = blocked
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    chat = state.chats[user.id]

    def member(status: str) -> JSON:
        out: JSON = {"user": state.bot_user, "status": status}
        if status == "kicked":
            out["until_date"] = 0
        return out

    payload: dict[str, Any] = {
        "chat": chat.to_json(),
        "from": user.to_json(),
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }
    state.updates.push("my_chat_member", payload)
    state.emit(chat, "blocked", blocked=blocked)


DEFAULT_LOCATION = (21.0285, 105.8542)


def press_reply_button(state: SandboxState, user: UserRec, chat: ChatRec, label: str) -> MessageRec:
    """Press a reply-keyboard button: its text, or a contact/location if it requests one."""
    keyboard = chat.reply_keyboard
    buttons = [b for row in (keyboard or {}).get("keyboard", []) for b in row]
    button = next((b for b in buttons if b.get("text") == label), None)
    if keyboard is None or button is None:
        shown = [b.get("text") for b in buttons]
        raise AssertionError(
            f"no reply keyboard button {label!r} in chat {chat.id}; shown: {shown}"
        )
    if button.get("request_contact"):
        phone = user.phone or f"+8490{user.id % 10_000_000:07d}"
        rec = post(
            state,
            user,
            chat,
            contact_content(user, phone, user.first_name, user.last_name),
            "contact",
        )
    elif button.get("request_location"):
        lat, lon = DEFAULT_LOCATION
        rec = post(state, user, chat, {"location": {"latitude": lat, "longitude": lon}}, "location")
    else:
        rec = post(state, user, chat, text_content(label), "text")
    if keyboard.get("one_time_keyboard"):
        chat.keyboard_hidden = True
        state.keyboard_changed(chat)
    return rec
