"""Bot API send methods: sendMessage, media, location, contact, copy and forward."""

from __future__ import annotations

import mimetypes
from typing import Any

from sandbox.compose import Markup, caption_text, message_text, parse_markup
from sandbox.entities import Entity
from sandbox.errors import bad_request
from sandbox.models import JSON, ChatRec, FileRec
from sandbox.params import Params
from sandbox.state import SandboxState


def enrich(state: SandboxState, entities: list[Entity]) -> list[Entity]:
    """Fill text_mention users from the sandbox's users."""
    for entity in entities:
        if entity["type"] == "text_mention":
            user = state.users.get(entity["user"]["id"])
            if user is None:
                raise bad_request("can't parse entities: user not found")
            entity["user"] = user.to_json()
    return entities


def prepare(state: SandboxState, p: Params) -> tuple[ChatRec, JSON, Markup]:
    """Target chat, common message fields (reply, markup, protection) and the markup."""
    chat = state.target_chat(p.chat_id())
    markup = parse_markup(p.obj("reply_markup", "reply keyboard markup"))
    extra: JSON = {}
    reply = p.obj("reply_parameters") or {}
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    reply_id = reply.get("message_id", p.integer("reply_to_message_id"))
    if reply_id is not None:
        allow = bool(reply.get("allow_sending_without_reply")) or p.flag(
            "allow_sending_without_reply"
        )
        target = chat.messages.get(int(reply_id))
        if target is not None and not target.deleted:
            extra["reply_to_message"] = {
                k: v for k, v in target.data.items() if k != "reply_to_message"
            }
        elif not allow:
            raise bad_request("message to be replied not found")
    if markup.inline:
        extra["reply_markup"] = markup.inline
    if p.flag("protect_content"):
        extra["has_protected_content"] = True
    return chat, extra, markup


def send_message(state: SandboxState, p: Params) -> JSON:
    """sendMessage."""
    chat, extra, markup = prepare(state, p)
    parse_mode = p.text("parse_mode")
    text, entities = message_text(p.text("text"), parse_mode, p.obj("entities"), state.strict_html)
    content: JSON = {"text": text}
    if entities:
        content["entities"] = enrich(state, entities)
    preview = p.obj("link_preview_options")
    if isinstance(preview, dict) and preview:
        content["link_preview_options"] = preview
    content.update(extra)
    return state.new_message(chat, content, "text", None, parse_mode, markup.keyboard).data


def caption_fields(
    state: SandboxState, caption: str | None, parse_mode: str | None, entities: Any
) -> JSON:
    """caption + caption_entities of a media message (nothing if empty)."""
    text, found = caption_text(caption, parse_mode, entities, state.strict_html)
    out: JSON = {}
    if text:
        out["caption"] = text
        if found:
            out["caption_entities"] = enrich(state, found)
    return out


def resolve_file(state: SandboxState, p: Params, field: str, value: Any) -> tuple[str, Any]:
    """("upload", Upload) | ("url", str) | ("file", FileRec) for a media parameter."""
    if field in p.files and (value is None or value == f"attach://{field}"):
        return "upload", p.files[field]
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {field} in the request")
    if value.startswith("attach://"):
        upload = p.files.get(value[len("attach://") :])
        if upload is None:
            raise bad_request(f"there is no {field} in the request")
        return "upload", upload
    if "://" in value:
        return "url", value
    rec = state.files.get(value)
    if rec is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return "file", rec


def media_content(state: SandboxState, kind: str, source: tuple[str, Any], extra: JSON) -> JSON:
    """The media part of a message (photo sizes, document, voice...) for a resolved file."""
    how, value = source
    if kind == "photo":
        if how == "file":
            assert isinstance(value, FileRec)
            return {"photo": state.files.photo_sets.get(value.file_id) or [
                state.files.describe(value, photo=True)]}  # fmt: skip
        data = value.body if how == "upload" else None
        return {"photo": state.files.photo_sizes(data, url=value if how == "url" else None)}
    if how == "file":
        assert isinstance(value, FileRec)
        rec = value
    elif how == "upload":
        mime = value.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(value.filename)[0] or mime
        rec = state.files.add(kind, value.body, file_name=value.filename or None, mime_type=mime)
    else:
        rec = state.files.add(kind, None, url=value, file_name=value.rsplit("/", 1)[-1] or None)
    body = state.files.describe(rec)
    if kind in ("voice", "audio", "video", "animation", "video_note"):
        body["duration"] = int(extra.get("duration") or 0)
    if kind in ("video", "animation"):
        body["width"], body["height"] = int(extra.get("width") or 0), int(extra.get("height") or 0)
    if kind == "audio":
        body.update({k: extra[k] for k in ("performer", "title") if extra.get(k)})
    if kind == "sticker":
        body.update(
            {
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        )
    return {kind: body}


def send_media(kind: str) -> Any:
    """A sendPhoto/sendDocument/... handler for one media kind."""

    def handler(state: SandboxState, p: Params) -> JSON:
        chat, extra, markup = prepare(state, p)
        source = resolve_file(state, p, kind, p.raw.get(kind))
        content = media_content(state, kind, source, p.raw)
        content.update(
            caption_fields(
                state, p.text("caption"), p.text("parse_mode"), p.obj("caption_entities")
            )
        )
        content.update(extra)
        return state.new_message(
            chat, content, kind, None, p.text("parse_mode"), markup.keyboard
        ).data

    return handler


def send_location(state: SandboxState, p: Params) -> JSON:
    """sendLocation."""
    chat, extra, markup = prepare(state, p)
    lat, lon = p.number("latitude"), p.number("longitude")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong latitude or longitude specified")
    content: JSON = {"location": {"latitude": lat, "longitude": lon}, **extra}
    return state.new_message(chat, content, "location", None, None, markup.keyboard).data


def send_contact(state: SandboxState, p: Params) -> JSON:
    """sendContact."""
    chat, extra, markup = prepare(state, p)
    phone, first = p.text("phone_number"), p.text("first_name")
    if not phone:
        raise bad_request("phone number is empty")
    if not first:
        raise bad_request("first name is empty")
    contact: JSON = {"phone_number": phone, "first_name": first}
    if p.text("last_name"):
        contact["last_name"] = p.text("last_name")
    content: JSON = {"contact": contact, **extra}
    return state.new_message(chat, content, "contact", None, None, markup.keyboard).data
