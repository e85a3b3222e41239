"""Bot API: sendMediaGroup, copyMessage, forwardMessage, sendChatAction."""

from __future__ import annotations

from typing import Any

from sandbox.api_send import caption_fields, media_content, prepare, resolve_file
from sandbox.errors import bad_request
from sandbox.models import JSON, MessageRec
from sandbox.params import Params
from sandbox.state import SandboxState

_META = {
    "message_id", "from", "chat", "date", "edit_date", "reply_markup", "reply_to_message",
    "forward_origin", "has_protected_content", "media_group_id", "author_signature",
    "link_preview_options",
}  # fmt: skip
_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}  # fmt: skip
_MEDIA_KINDS = ("photo", "video", "document", "audio")


def send_media_group(state: SandboxState, p: Params) -> list[JSON]:
    """sendMediaGroup: 2-10 photos/videos/documents/audios, one message each."""
    chat, extra, _ = prepare(state, p)
    media = p.obj("media", "media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the media group: must be between 2 and 10")
    group_id = state.next_media_group_id()
    prepared: list[tuple[str, JSON]] = []
    for item in media:
        if not isinstance(item, dict) or item.get("type") not in _MEDIA_KINDS:
            raise bad_request("can't parse InputMedia JSON object")
        kind = str(item["type"])
        content = media_content(state, kind, resolve_file(state, p, kind, item.get("media")), item)
        content.update(
            caption_fields(
                state, item.get("caption"), item.get("parse_mode"), item.get("caption_entities")
            )
        )
        prepared.append((kind, content))
    extra.pop("reply_markup", None)
    sent: list[JSON] = []
    for kind, content in prepared:
        content.update(extra)
        content["media_group_id"] = group_id
        sent.append(state.new_message(chat, content, kind).data)
    return sent


def _source(state: SandboxState, p: Params, what: str) -> MessageRec:
    chat = state.find_chat(p.chat_id("from_chat_id"))
    message_id = p.require_int("message_id")
    rec = chat.messages.get(message_id)
    if rec is None or rec.deleted:
        raise bad_request(f"message to {what} not found")
    if rec.data.get("has_protected_content"):
        raise bad_request(
            "message can't be forwarded" if what == "forward" else "message can't be copied"
        )
    return rec


def copy_message(state: SandboxState, p: Params) -> JSON:
    """copyMessage: same content, no forward header; returns a MessageId."""
    source = _source(state, p, "copy")
    chat, extra, markup = prepare(state, p)
    content = {k: v for k, v in source.data.items() if k not in _META}
    if "caption" in p:
        content.pop("caption", None)
        content.pop("caption_entities", None)
        content.update(
            caption_fields(
                state, p.text("caption"), p.text("parse_mode"), p.obj("caption_entities")
            )
        )
    content.update(extra)
    rec = state.new_message(chat, content, source.kind, None, source.parse_mode, markup.keyboard)
    return {"message_id": rec.message_id}


def forward_message(state: SandboxState, p: Params) -> JSON:
    """forwardMessage: same content with forward_origin."""
    source = _source(state, p, "forward")
    chat = state.target_chat(p.chat_id())
    content: dict[str, Any] = {k: v for k, v in source.data.items() if k not in _META}
    origin = source.data.get("forward_origin") or {
        "type": "user",
        "sender_user": source.data["from"],
        "date": source.data["date"],
    }
    content["forward_origin"] = origin
    if p.flag("protect_content"):
        content["has_protected_content"] = True
    return state.new_message(chat, content, source.kind, None, source.parse_mode).data


def send_chat_action(state: SandboxState, p: Params) -> bool:
    """sendChatAction: shown in the web chat as "typing..."."""
    chat = state.target_chat(p.chat_id())
    action = p.text("action")
    if action not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.emit(chat, "chat_action", action=action)
    return True
