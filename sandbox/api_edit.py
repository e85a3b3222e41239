"""Bot API: edit, delete and answerCallbackQuery."""

from __future__ import annotations

from sandbox.api_send import caption_fields, enrich
from sandbox.compose import message_text, parse_markup
from sandbox.errors import NOT_MODIFIED, QUERY_TOO_OLD, bad_request
from sandbox.models import JSON, MessageRec
from sandbox.params import Params
from sandbox.state import SandboxState

_MEDIA = ("photo", "document", "video", "audio", "voice", "animation")


def _target(state: SandboxState, p: Params) -> MessageRec:
    if p.has("inline_message_id") and not p.has("chat_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = state.target_chat(p.chat_id())
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    rec = chat.messages.get(message_id)
    if rec is None or rec.deleted:
        raise bad_request("message to edit not found")
    if not rec.from_bot:
        raise bad_request("message can't be edited")
    return rec


def _inline_markup(p: Params) -> JSON | None:
    markup = parse_markup(p.obj("reply_markup", "reply keyboard markup"))
    if markup.keyboard is not None:
        raise bad_request("inline keyboard expected")
    return markup.inline


def _apply(state: SandboxState, rec: MessageRec, changes: JSON, keys: tuple[str, ...]) -> JSON:
    """Edit unless nothing changes; absent keys (e.g. reply_markup) are removed."""
    if all(rec.data.get(k) == changes.get(k) for k in keys):
        raise bad_request(NOT_MODIFIED)
    present = {k: v for k, v in changes.items() if v is not None}
    return state.edit_message(rec, present, drop=keys)


def edit_message_text(state: SandboxState, p: Params) -> JSON:
    """editMessageText (without reply_markup the inline keyboard is removed, as in Telegram)."""
    rec = _target(state, p)
    if "text" not in rec.data:
        raise bad_request("there is no text in the message to edit")
    parse_mode = p.text("parse_mode")
    text, entities = message_text(p.text("text"), parse_mode, p.obj("entities"), state.strict_html)
    changes: JSON = {
        "text": text,
        "entities": enrich(state, entities) or None,
        "reply_markup": _inline_markup(p),
    }
    data = _apply(state, rec, changes, ("text", "entities", "reply_markup"))
    rec.parse_mode = parse_mode
    return data


def edit_message_caption(state: SandboxState, p: Params) -> JSON:
    """editMessageCaption."""
    rec = _target(state, p)
    if not any(kind in rec.data for kind in _MEDIA):
        raise bad_request("there is no caption in the message to edit")
    fields = caption_fields(
        state, p.text("caption"), p.text("parse_mode"), p.obj("caption_entities")
    )
    changes: JSON = {
        "caption": fields.get("caption"),
        "caption_entities": fields.get("caption_entities"),
        "reply_markup": _inline_markup(p),
    }
    return _apply(state, rec, changes, ("caption", "caption_entities", "reply_markup"))


def edit_message_reply_markup(state: SandboxState, p: Params) -> JSON:
    """editMessageReplyMarkup (no reply_markup removes the keyboard)."""
    rec = _target(state, p)
    return _apply(state, rec, {"reply_markup": _inline_markup(p)}, ("reply_markup",))


def delete_message(state: SandboxState, p: Params) -> bool:
    """deleteMessage."""
    chat = state.find_chat(p.chat_id())
    rec = chat.messages.get(p.require_int("message_id"))
    if rec is None or rec.deleted:
        raise bad_request("message to delete not found")
    if chat.type != "private" and not rec.from_bot and state.bot_id not in chat.admins:
        raise bad_request("message can't be deleted")
    state.delete_message(rec)
    return True


def delete_messages(state: SandboxState, p: Params) -> bool:
    """deleteMessages: deletes those that exist; True."""
    chat = state.find_chat(p.chat_id())
    ids = p.obj("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in ids:
        rec = chat.messages.get(int(message_id))
        if rec is not None and not rec.deleted:
            state.delete_message(rec)
    return True


def answer_callback_query(state: SandboxState, p: Params) -> bool:
    """answerCallbackQuery: each query can be answered once."""
    query = state.callback_queries.get(p.text("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(QUERY_TOO_OLD)
    text = p.text("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {
        "text": text,
        "show_alert": p.flag("show_alert"),
        "url": p.text("url"),
        "cache_time": p.integer("cache_time", 0),
    }
    chat = state.chats.get(query.chat_id)
    if chat is not None:
        state.emit(
            chat, "callback_answer", query_id=query.id, user_id=query.user_id, **query.answer
        )
    return True
