"""Telegram's MarkdownV2 and legacy Markdown parse modes, after tdlib."""

from __future__ import annotations

import re

from sandbox.entities import Entity, sort_entities
from sandbox.errors import ApiError, bad_request

RESERVED = "_*[]()~`>#+-=|{}.!"
_USER_LINK = re.compile(r"^tg://user\?id=(\d{1,19})$")
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def _err(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def _byte(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _link(base: Entity, url: str) -> Entity | None:
    user = _USER_LINK.match(url)
    if user:
        return {**base, "type": "text_mention", "user": {"id": int(user.group(1)), "is_bot": False}}
    if not url or any(ch.isspace() for ch in url):
        return None
    return {**base, "type": "text_link", "url": url}


def _is_end(kind: str, text: str, i: int) -> bool:
    c, nxt = text[i], text[i + 1 : i + 2]
    return {
        "bold": c == "*",
        "italic": c == "_" and nxt != "_",
        "underline": c == "_" and nxt == "_",
        "strikethrough": c == "~",
        "spoiler": c == "|" and nxt == "|",
        "code": c == "`",
        "pre": text.startswith("```", i),
        "text_link": c == "]",
        "custom_emoji": c == "]",
    }[kind]


def _pre_start(text: str, i: int) -> tuple[int, str]:
    """After an opening ```: (index of content, language)."""
    end = i
    while end < len(text) and not text[end].isspace() and text[end] != "`":
        end += 1
    language = ""
    if end != i and end < len(text) and text[end] != "`":
        language, i = text[i:end], end
    if text[i : i + 2] in ("\r\n", "\n\r"):
        i += 2
    elif text[i : i + 1] in ("\n", "\r"):
        i += 1
    return i, language


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2 into (plain text, entities); raises ApiError like Telegram."""
    out: list[str] = []
    offset = 0
    stack: list[tuple[str, int, int, str, int]] = []  # kind, utf16 start, byte pos, arg, out idx
    entities: list[Entity] = []
    quote_start: int | None = None
    n, i = len(text), 0
    while i < n:
        c = text[i]
        if (i == 0 or text[i - 1] == "\n") and c == ">" and not stack:
            if quote_start is None:
                quote_start = offset
            i += 1
            continue
        if c == "\n" and quote_start is not None and text[i + 1 : i + 2] != ">":
            if offset > quote_start:
                entities.append(
                    {"offset": quote_start, "length": offset - quote_start, "type": "blockquote"}
                )
            quote_start = None
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.append(text[i + 1])
            offset += 1
            i += 2
            continue
        reserved = "`" if stack and stack[-1][0] in ("code", "pre") else RESERVED
        if c not in reserved:
            out.append(c)
            offset += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        if stack and _is_end(stack[-1][0], text, i):
            kind, start, _, arg, out_idx = stack.pop()
            base: Entity = {"offset": start, "length": offset - start}
            entity: Entity | None = {**base, "type": kind}
            if kind in ("underline", "spoiler"):
                i += 1
            elif kind == "pre":
                i += 2
                if arg and entity is not None:
                    entity["language"] = arg
            elif kind in ("text_link", "custom_emoji"):
                url = ""
                if text[i + 1 : i + 2] == "(":
                    i += 2
                    url_begin = i
                    chars: list[str] = []
                    while i < n and text[i] != ")":
                        if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                            chars.append(text[i + 1])
                            i += 2
                            continue
                        chars.append(text[i])
                        i += 1
                    if i >= n:
                        raise _err(
                            f"Can't find end of a URL at byte offset {_byte(text, url_begin)}"
                        )
                    url = "".join(chars)
                elif kind == "custom_emoji":
                    raise _err("Custom emoji entity must contain a tg://emoji URL")
                else:
                    url = "".join(out[out_idx:])
                if kind == "custom_emoji":
                    entity = {**base, "type": "custom_emoji", "custom_emoji_id": url.split("=")[-1]}
                else:
                    entity = _link(base, url)
            if entity is not None and offset > start:
                entities.append(entity)
            i += 1
            continue
        begin, arg = i, ""
        if c == "_" and text[i + 1 : i + 2] == "_":
            kind, i = "underline", i + 1
        elif c in "_*~[":
            kind = {"_": "italic", "*": "bold", "~": "strikethrough", "[": "text_link"}[c]
        elif c == "|" and text[i + 1 : i + 2] == "|":
            kind, i = "spoiler", i + 1
        elif c == "!" and text[i + 1 : i + 2] == "[":
            kind, i = "custom_emoji", i + 1
        elif c == "`" and text.startswith("```", i):
            content, arg = _pre_start(text, i + 3)
            kind, i = "pre", content - 1
        elif c == "`":
            kind = "code"
        else:
            raise _err(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        stack.append((kind, offset, begin, arg, len(out)))
        i += 1
    if stack:
        kind, _, byte_pos, _, _ = stack[-1]
        raise _err(
            f"Can't find end of {_NAMES[kind]} entity at byte offset {_byte(text, byte_pos)}"
        )
    if quote_start is not None and offset > quote_start:
        entities.append(
            {"offset": quote_start, "length": offset - quote_start, "type": "blockquote"}
        )
    return "".join(out), sort_entities(entities)


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown (v1): *bold* _italic_ `code` ```pre``` [text](url)."""
    out: list[str] = []
    offset = 0
    entities: list[Entity] = []
    n, i = len(text), 0
    while i < n:
        c = text[i]
        if c == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.append(text[i + 1])
            offset += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            offset += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin, end_char, is_pre, language = i, "]" if c == "[" else c, False, ""
        i += 1
        if c == "`" and text.startswith("``", i):
            is_pre = True
            i, language = _pre_start(text, i + 2)
        start, first = offset, len(out)
        while i < n and (text[i] != end_char or (is_pre and not text.startswith("```", i))):
            out.append(text[i])
            offset += 2 if ord(text[i]) > 0xFFFF else 1
            i += 1
        if i >= n:
            raise _err(f"Can't find end of the entity starting at byte offset {_byte(text, begin)}")
        base: Entity = {"offset": start, "length": offset - start}
        entity: Entity | None = None
        if c == "[":
            url = "".join(out[first:])
            if text[i + 1 : i + 2] == "(":
                close = text.find(")", i + 2)
                close = n if close < 0 else close
                url, i = text[i + 2 : close], close
            entity = _link(base, url)
        elif c == "`":
            entity = {**base, "type": "pre" if is_pre else "code"}
            if is_pre and language:
                entity["language"] = language
        else:
            entity = {**base, "type": "bold" if c == "*" else "italic"}
        if entity is not None and offset > start:
            entities.append(entity)
        i += 3 if is_pre else 1
    return "".join(out), sort_entities(entities)
