"""Telegram's HTML parse mode: text + entities, with tdlib's error wording."""

from __future__ import annotations

import re

from sandbox.entities import Entity, sort_entities, utf16_len
from sandbox.errors import ApiError, bad_request

SIMPLE_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
SUPPORTED = {*SIMPLE_TAGS, "a", "code", "pre", "span", "tg-emoji", "blockquote"}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,10})|([a-zA-Z]{2,4}));")
_SPECIAL = re.compile(r"[<&]")
_SPACE = " \t\n\r\f\v"
_USER_LINK = re.compile(r"^tg://user\?id=(\d{1,19})$")
_URL_OK = re.compile(r"^(?:(?:https?|tg|ton|mailto)://?\S+|[\w.-]+\.[a-z]{2,}(?:[/?#]\S*)?)$", re.I)


class _Open:
    __slots__ = ("arg", "name", "offset", "start")

    def __init__(self, name: str, arg: str, offset: int, start: int) -> None:
        self.name, self.arg, self.offset, self.start = name, arg, offset, start


def _err(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the HTML character reference at text[pos] ('&'), if valid."""
    match = _ENTITY.match(text, pos)
    if not match:
        return None
    hex_code, dec_code, name = match.groups()
    if name is not None:
        char = _NAMED.get(name)
        return (char, match.end()) if char else None
    code = int(hex_code, 16) if hex_code is not None else int(dec_code)
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _attributes(text: str, i: int, tag: str, begin: int) -> tuple[dict[str, str], int]:
    """Parse attributes up to '>' (returns attrs and the index of '>')."""
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while i < n and text[i] in _SPACE:
            i += 1
        if i >= n:
            raise _err(f"Unclosed start tag at byte offset {_byte(text, begin)}")
        if text[i] == ">":
            return attrs, i
        name_start = i
        while i < n and text[i] not in _SPACE and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise _err(
                f'Empty attribute name in the tag "{tag}" at byte offset {_byte(text, begin)}'
            )
        while i < n and text[i] in _SPACE:
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                attrs[name] = ""
                continue
            raise _err(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {_byte(text, begin)}'
            )
        i += 1
        while i < n and text[i] in _SPACE:
            i += 1
        if i >= n:
            raise _err(f"Unclosed start tag at byte offset {_byte(text, begin)}")
        value: list[str] = []
        if text[i] in "'\"":
            quote = text[i]
            i += 1
            while i < n and text[i] != quote:
                decoded = decode_entity(text, i) if text[i] == "&" else None
                if decoded:
                    value.append(decoded[0])
                    i = decoded[1]
                else:
                    value.append(text[i])
                    i += 1
            i += 1
        else:
            token_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-_:/?=&#%+~"):
                i += 1
            if i == token_start:
                raise _err(f"Unexpected end of name token at byte offset {_byte(text, i)}")
            value.append(text[token_start:i])
        attrs[name] = "".join(value)


def _close(entities: list[Entity], item: _Open, end: int, plain: str) -> None:
    """Turn a closed tag into its entity (if it covers anything)."""
    length = end - item.offset
    if length <= 0:
        return
    base: Entity = {"offset": item.offset, "length": length}
    name = item.name
    if name in SIMPLE_TAGS:
        entities.append({**base, "type": SIMPLE_TAGS[name]})
    elif name == "span":
        entities.append({**base, "type": "spoiler"})
    elif name == "blockquote":
        kind = "expandable_blockquote" if item.arg == "expandable" else "blockquote"
        entities.append({**base, "type": kind})
    elif name == "tg-emoji":
        entities.append({**base, "type": "custom_emoji", "custom_emoji_id": item.arg})
    elif name == "a":
        url = item.arg or plain[item.start :]
        user = _USER_LINK.match(url)
        if user:
            user_json = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
            entities.append({**base, "type": "text_mention", "user": user_json})
        elif _URL_OK.match(url):
            entities.append({**base, "type": "text_link", "url": url})
    elif name == "code":
        entities.append({**base, "type": "code", "_language": item.arg})
    elif name == "pre":
        last = entities[-1] if entities else None
        if (
            last
            and last["type"] == "code"
            and (last["offset"], last["length"])
            == (
                item.offset,
                length,
            )
        ):
            entities.pop()
            language = last.get("_language")
            entities.append({**base, "type": "pre", **({"language": language} if language else {})})
        else:
            entities.append({**base, "type": "pre"})


def parse_html(text: str, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into (plain text, entities); raises ApiError like Telegram."""
    out: list[str] = []
    plain_len = 0  # characters in out (for <a> without href)
    offset = 0  # UTF-16 offset
    stack: list[_Open] = []
    entities: list[Entity] = []
    n, i = len(text), 0
    while i < n:
        match = _SPECIAL.search(text, i)
        chunk_end = match.start() if match else n
        if chunk_end > i:
            chunk = text[i:chunk_end]
            out.append(chunk)
            plain_len += len(chunk)
            offset += utf16_len(chunk)
            i = chunk_end
            continue
        if text[i] == "&":
            decoded = decode_entity(text, i)
            if decoded is None:
                if strict_ampersand:
                    raise _err(f'Unescaped "&" at byte offset {_byte(text, i)}')
                decoded = ("&", i + 1)
            out.append(decoded[0])
            plain_len += 1
            offset += utf16_len(decoded[0])
            i = decoded[1]
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise _err(f"Unexpected end tag at byte offset {_byte(text, begin)}")
            j = i + 1
            while j < n and text[j] not in _SPACE and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j]
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n or text[j] != ">":
                raise _err(f"Unclosed end tag at byte offset {_byte(text, begin)}")
            top = stack.pop()
            if end_name and end_name.lower() != top.name:
                raise _err(
                    f"Unmatched end tag at byte offset {_byte(text, begin)}, "
                    f'expected "</{top.name}>", found "</{end_name}>"'
                )
            _close(entities, top, offset, "".join(out))
            i = j + 1
            continue
        j = i
        while j < n and text[j] not in _SPACE and text[j] != ">":
            j += 1
        if j >= n:
            raise _err(f"Unclosed start tag at byte offset {_byte(text, begin)}")
        tag = text[i:j].lower()
        if tag not in SUPPORTED:
            raise _err(f'Unsupported start tag "{tag}" at byte offset {_byte(text, begin)}')
        attrs, j = _attributes(text, j, tag, begin)
        arg = ""
        if tag == "a":
            arg = attrs.get("href", "")
        elif tag == "code":
            cls = attrs.get("class", "")
            arg = cls[9:] if cls.startswith("language-") else ""
        elif tag == "span":
            if attrs.get("class") != "tg-spoiler":
                raise _err(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {_byte(text, begin)}'
                )
        elif tag == "tg-emoji":
            arg = attrs.get("emoji-id", "")
        elif tag == "blockquote" and "expandable" in attrs:
            arg = "expandable"
        stack.append(_Open(tag, arg, offset, plain_len))
        i = j + 1
    if stack:
        raise _err(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    for entity in entities:
        entity.pop("_language", None)
    return "".join(out), sort_entities(entities)
