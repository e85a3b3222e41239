"""Library Markdown as Telegram HTML, cut to fit Telegram's length limits."""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096  # Telegram's limit for a message, in UTF-16 code units
CAPTION_LIMIT = 1024  # and for a photo's caption

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: emoji outside the BMP count twice."""
    return len(text.encode("utf-16-le")) // 2


def inline_html(text: str) -> str:
    """Escape `text` and render **bold**, *italic* and [links](https://...)."""
    out = html.escape(text, quote=False)
    out = _LINK.sub(lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    return _ITALIC.sub(r"<i>\1</i>", out)


def paragraphs(markdown: str) -> list[str]:
    """The body's paragraphs (blank-line separated), each as Telegram HTML.

    As in Markdown, the lines of a paragraph flow together; headings and
    bullets keep their own lines.
    """
    result = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines: list[tuple[bool, str]] = []  # (is a heading, text)
        for raw in block.splitlines():
            line = raw.strip()
            heading = _HEADING.match(line)
            if heading:
                lines.append((True, heading[1]))
            elif _BULLET.match(line) or not lines or lines[-1][0]:
                lines.append((False, _BULLET.sub("• ", line)))
            else:
                lines[-1] = (False, f"{lines[-1][1]} {line}")
        rendered = [
            f"<b>{inline_html(t)}</b>" if head else inline_html(t) for head, t in lines if t
        ]
        if rendered:
            result.append("\n".join(rendered))
    return result


def to_html(markdown: str) -> str:
    return "\n\n".join(paragraphs(markdown))


def split_paragraphs(parts: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Pack paragraphs into as few messages as fit `limit`, never cutting one needlessly.

    A paragraph longer than the limit on its own is cut at sentence ends,
    then at spaces, as a last resort.
    """
    chunks: list[str] = []
    current = ""
    for part in (piece for p in parts for piece in _fit(p, limit)):
        joined = f"{current}\n\n{part}" if current else part
        if utf16_len(joined) <= limit:
            current = joined
            continue
        chunks.append(current)
        current = part
    if current:
        chunks.append(current)
    return chunks


def _fit(paragraph: str, limit: int) -> list[str]:
    if utf16_len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for word in _words(paragraph, limit):
        joined = f"{current} {word}" if current else word
        if utf16_len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = word
    return [*pieces, current] if current else pieces


def _words(paragraph: str, limit: int) -> list[str]:
    """Sentences when they fit, else words, else hard slices of a monster word."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        if utf16_len(sentence) <= limit:
            out.append(sentence)
            continue
        for word in sentence.split():
            out += [word[i : i + limit // 2] for i in range(0, len(word), limit // 2)]
    return out


def shorten(text: str, limit: int) -> str:
    """Cut plain text at a word boundary to fit `limit`, with an ellipsis."""
    if utf16_len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    while utf16_len(cut) > limit - 1:
        cut = cut[:-1]
    if not text[len(cut)].isspace():  # mid-word: back up to the last whole word
        space = cut.rfind(" ")
        cut = cut[:space] if space > limit // 2 else cut
    return cut.rstrip(" ,;:") + "…"
