"""Message content checks: parse modes, length limits and reply markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.entities import Entity, clean_entities, strip_text, utf16_len
from sandbox.errors import bad_request
from sandbox.htmltext import parse_html
from sandbox.markdown import parse_markdown, parse_markdown_v2

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "copy_text",
)
_URL_SCHEMES = ("http://", "https://", "tg://", "ton://")


def format_text(
    text: str, parse_mode: str | None, entities: Any, strict_html: bool = True
) -> tuple[str, list[Entity]]:
    """Apply parse_mode (or explicit entities) and strip like Telegram."""
    if entities is not None:
        found = clean_entities(entities, text)
    elif parse_mode:
        mode = parse_mode.strip().lower()
        if mode == "html":
            text, found = parse_html(text, strict_html)
        elif mode == "markdownv2":
            text, found = parse_markdown_v2(text)
        elif mode == "markdown":
            text, found = parse_markdown(text)
        else:
            raise bad_request("unsupported parse_mode")
    else:
        found = []
    return strip_text(text, found)


def message_text(
    raw: str | None, parse_mode: str | None, entities: Any, strict: bool
) -> tuple[str, list[Entity]]:
    """A message text: non-empty and at most 4096 UTF-16 units after parsing."""
    if raw is None or not raw.strip():
        raise bad_request("message text is empty")
    text, found = format_text(raw, parse_mode, entities, strict)
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return text, found


def caption_text(
    raw: str | None, parse_mode: str | None, entities: Any, strict: bool
) -> tuple[str, list[Entity]]:
    """A media caption: may be empty, at most 1024 UTF-16 units after parsing."""
    if not raw:
        return "", []
    text, found = format_text(raw, parse_mode, entities, strict)
    if utf16_len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return text, found


@dataclass(frozen=True, slots=True)
class Markup:
    """A validated reply_markup: the inline part stays on the message, the rest on the chat."""

    inline: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _BUTTON_ACTIONS if button.get(name) is not None]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in actions:
        data = button["callback_data"]
        size = len(str(data).encode("utf-8"))
        if not isinstance(data, str) or not 1 <= size <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        url = str(button["url"])
        if not url.startswith(_URL_SCHEMES) or len(url) <= len("http://"):
            raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def _keyboard_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        return {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    return dict(button)


def _rows(value: Any, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(f'can\'t parse {what}: Field "{what}" must be of type Array')
    return value


def parse_markup(raw: Any) -> Markup:
    """Validate a reply_markup object (already JSON-decoded)."""
    if raw is None:
        return Markup()
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = [
            [_inline_button(b) for b in row]
            for row in _rows(raw["inline_keyboard"], "inline_keyboard")
        ]
        return Markup(inline={"inline_keyboard": rows})
    if "keyboard" in raw:
        rows = [[_keyboard_button(b) for b in row] for row in _rows(raw["keyboard"], "keyboard")]
        return Markup(keyboard={**raw, "keyboard": rows})
    if raw.get("remove_keyboard") or raw.get("force_reply"):
        return Markup(keyboard=dict(raw))
    raise bad_request("can't parse reply keyboard markup JSON object")
