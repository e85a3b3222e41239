"""A sent announcement as citizens reread it in the archive: its headline and its pages."""

from __future__ import annotations

import html
import re

from bot.core.textfmt import CAPTION_LIMIT, TEXT_LIMIT, shorten, split_paragraphs, utf16_len
from bot.messaging.messages import OutgoingMessage

HEADLINE_LIMIT = 80
_TAG = re.compile(r"<(/?)[a-zA-Z][a-zA-Z0-9-]*[^>]*>")
_BLANK = re.compile(r"\n[ \t]*\n")


def as_html(message: OutgoingMessage) -> str:
    """The message's text as Telegram HTML, whether it was composed as HTML or plain."""
    return message.text if message.html else html.escape(message.text, quote=False)


def headline(message: OutgoingMessage) -> str:
    """Its first line of text, plain and short enough for a list; "" when it has none."""
    text = html.unescape(_TAG.sub("", as_html(message)))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return shorten(first, HEADLINE_LIMIT)


def html_blocks(text: str) -> list[str]:
    """The paragraphs of Telegram HTML, cut only at blank lines outside every tag.

    An officer's bold or quote may span paragraphs; a cut inside it would
    leave two messages whose tags Telegram refuses to parse.
    """
    blocks: list[str] = []
    current, depth = "", 0
    for piece in _BLANK.split(text.strip()):
        current = f"{current}\n\n{piece}" if current else piece
        depth += sum(-1 if tag[1] else 1 for tag in _TAG.finditer(piece))
        if depth <= 0:
            blocks.append(current.strip())
            current, depth = "", 0
    if current.strip():  # tags left open: keep the rest whole rather than break it
        blocks.append(current.strip())
    return [block for block in blocks if block]


def post_pages(message: OutgoingMessage) -> list[OutgoingMessage]:
    """The whole announcement again: its file with a caption within 1,024, then the
    rest of the text in messages within 4,096, cut on paragraph boundaries.

    Lengths are measured on the HTML, tags included: a little conservative,
    never over Telegram's limits. Buttons are not repeated.
    """
    blocks = html_blocks(as_html(message))
    if message.attachment is None:
        return [OutgoingMessage(t, html=True) for t in split_paragraphs(blocks, TEXT_LIMIT)]
    caption = ""
    while blocks:
        joined = f"{caption}\n\n{blocks[0]}" if caption else blocks[0]
        if utf16_len(joined) > CAPTION_LIMIT:
            break
        caption = joined
        blocks.pop(0)
    rest = split_paragraphs(blocks, TEXT_LIMIT) if blocks else []
    first = OutgoingMessage(caption, html=True, attachment=message.attachment)
    return [first, *(OutgoingMessage(t, html=True) for t in rest)]
