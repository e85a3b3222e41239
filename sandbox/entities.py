"""UTF-16 lengths, entity helpers and Telegram's automatic entity detection."""

from __future__ import annotations

import re
from typing import Any

Entity = dict[str, Any]

# What Telegram recognises on its own in message text (a practical subset).
_AUTO = re.compile(
    r"(?P<bot_command>(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/]))"
    r"|(?P<url>\bhttps?://[^\s<>\"']+|\b(?:www\.)[^\s<>\"']+\.[a-z]{2,}[^\s<>\"']*)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+\.[\w.-]+\b)"
    r"|(?P<mention>(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b)"
    r"|(?P<hashtag>(?<![\w#])#\w*[^\W\d_]\w*)"
)
_TRAILING_PUNCT = ".,;:!?)"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) >> 1


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Telegram's order: by offset, longer (outer) entities first."""
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def detect_entities(text: str) -> list[Entity]:
    """Entities Telegram adds by itself: bot_command, url, email, mention, hashtag."""
    found: list[Entity] = []
    if not any(ch in text for ch in "/@#.:"):
        return found
    for match in _AUTO.finditer(text):
        kind = match.lastgroup or "url"
        start, end = match.span()
        if kind == "url":
            while end > start and text[end - 1] in _TRAILING_PUNCT:
                end -= 1
        found.append(
            {
                "offset": utf16_len(text[:start]),
                "length": utf16_len(text[start:end]),
                "type": kind,
            }
        )
    return found


def strip_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip surrounding whitespace as Telegram does, shifting and clipping entities."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    if not stripped:
        return "", []
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    result: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def clean_entities(raw: Any, text: str) -> list[Entity]:
    """Validate an explicit `entities` parameter against the text."""
    from sandbox.errors import bad_request

    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    result: list[Entity] = []
    for item in raw:
        if not isinstance(item, dict) or "type" not in item:
            raise bad_request('can\'t parse MessageEntity: Field "type" must be of type String')
        try:
            offset, length = int(item.get("offset", 0)), int(item.get("length", 0))
        except (TypeError, ValueError):
            raise bad_request("can't parse MessageEntity: wrong offset or length") from None
        if offset < 0 or length <= 0 or offset >= total:
            continue
        result.append({**item, "offset": offset, "length": min(length, total - offset)})
    return sort_entities(result)


def slice_utf16(text: str, offset: int, length: int) -> str:
    """The substring covered by an entity."""
    data = text.encode("utf-16-le")
    return data[offset * 2 : (offset + length) * 2].decode("utf-16-le", "replace")
