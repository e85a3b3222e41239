"""Pure translations between Zalo Bot's shapes and the Bot API's: messages, texts, results."""

from __future__ import annotations

import re
from typing import Any

from bot.messaging.markup import Runs, runs_of, to_plain, visible
from bot.messaging.markup import split as markup_split

JSON = dict[str, Any]
TEXT_LIMIT = 2000  # Zalo: a text holds 1 to 2,000 characters

TEXT_RECEIVED = "message.text.received"
IMAGE_RECEIVED = "message.image.received"
STICKER_RECEIVED = "message.sticker.received"
# A protected user (a minor, say): Zalo passes on no content, and we keep none.
UNSUPPORTED_RECEIVED = "message.unsupported.received"


def unwrap(body: Any) -> JSON | None:
    """One Zalo update from a webhook body or a getUpdates result: wrapped `{ok, result}` or flat."""
    if isinstance(body, dict) and "result" in body and "event_name" not in body:
        body = body["result"]
    if isinstance(body, dict) and isinstance(body.get("message"), dict):
        return body
    return None


def name_of(sender: JSON) -> str:
    """The name Zalo shows for a person; fields differ between versions of the API."""
    for key in ("display_name", "first_name", "name"):
        value = sender.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "Zalo"


def photo_url(message: JSON) -> str | None:
    """Where an image message's photo can be fetched (seen as `photo_url` and as `photo`)."""
    for key in ("photo_url", "photo", "url"):
        value = message.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None


def telegram_message(
    message: JSON, *, message_id: int, user_id: int, chat_id: int, content: JSON
) -> JSON:
    """A Bot API Message for a Zalo message, with the local numbers given; `content` its body."""
    name = name_of(message.get("from") or {})
    group = str((message.get("chat") or {}).get("chat_type", "PRIVATE")).upper() == "GROUP"
    chat: JSON = (
        {"id": chat_id, "type": "group", "title": "Zalo"}
        if group
        else {
            "id": chat_id,
            "type": "private",
            "first_name": name,
        }
    )
    return {
        "message_id": message_id,
        "date": seconds(message.get("date")),
        "chat": chat,
        "from": {"id": user_id, "is_bot": False, "first_name": name},
        **content,
    }


def seconds(milliseconds: Any) -> int:
    """Zalo's epoch milliseconds as the Bot API's seconds (a missing date: 0)."""
    try:
        return int(milliseconds) // 1000
    except (TypeError, ValueError):
        return 0


def text_content(text: str) -> JSON:
    """A text body; a leading /command is marked as the Bot API marks it, for CommandHandler."""
    content: JSON = {"text": text}
    match = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
    if match:
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": match.end()}]
    return content


def photo_content(ref: str, sha256: str, size: int, caption: str | None) -> JSON:
    """A photo body naming a file the bot already keeps (`file:<sha256>`)."""
    content: JSON = {
        "photo": [
            {
                "file_id": ref,
                "file_unique_id": sha256[:32],
                "width": 0,
                "height": 0,
                "file_size": size,
            }
        ]
    }
    if caption:
        content["caption"] = caption
    return content


def sticker_content(sticker_id: str) -> JSON:
    """A sticker body: the handlers answer it as they answer a Telegram sticker."""
    return {
        "sticker": {
            "file_id": f"zalo-sticker:{sticker_id}",
            "file_unique_id": sticker_id[:32] or "zalo-sticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    }


def bot_user(me: JSON) -> JSON:
    """Zalo's getMe as the Bot API's User of the bot."""
    raw = str(me.get("id", ""))
    name = str(me.get("account_name") or me.get("display_name") or me.get("name") or "zalo_bot")
    return {
        "id": int(raw) if raw.isdigit() and len(raw) < 19 else abs(hash(raw)) % 10**12,
        "is_bot": True,
        "first_name": name,
        "username": re.sub(r"[^A-Za-z0-9_]", "_", name),
        "can_join_groups": bool(me.get("can_join_groups", False)),
    }


def sent_message(message_id: int, chat_id: int, bot: JSON, result: Any, text: str) -> JSON:
    """The Bot API Message for what Zalo says it sent (`{message_id, date}` in ms)."""
    when = seconds(result.get("date")) if isinstance(result, dict) else 0
    return {
        "message_id": message_id,
        "date": when,
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
        "from": bot,
        "text": text,
    }


def plain(text: str, parse_mode: Any) -> str:
    """What a Zalo user can read: Zalo shows no formatting, a link keeps its address."""
    return to_plain(text) if str(parse_mode or "").upper() == "HTML" else text


def zalo_len(runs: Runs) -> int:
    """A text's length as Zalo counts it (characters, ends trimmed)."""
    return len(visible(runs).strip())


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """A plain text in parts of at most `limit`, cut where the markup's splitter cuts."""
    return [visible(piece) for piece in markup_split(runs_of(text, False), limit, zalo_len)]
