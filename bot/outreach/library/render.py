"""A library item as messages: a teaser to broadcast, the full text to read."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from bot.core.textfmt import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    paragraphs,
    shorten,
    split_paragraphs,
    utf16_len,
)
from bot.messaging.messages import Attachment, Button, OutgoingMessage
from bot.outreach.actions import NewsOpen
from bot.outreach.library.items import LibraryItem

TEASER_LIMIT = 900  # leaves room in a 1024 caption once tags are parsed away


@dataclass(frozen=True)
class ItemPages:
    """How an opened item is shown: an optional photo with caption, then text messages."""

    image: Path | None
    caption: str | None
    texts: list[str]


def title_html(item: LibraryItem) -> str:
    return f"<b>{html.escape(item.title, quote=False)}</b>"


def teaser(item: LibraryItem) -> str:
    """Title and summary (or the opening paragraph), short enough for a caption."""
    lead = item.summary or _first_text_paragraph(item.body)
    room = TEASER_LIMIT - utf16_len(item.title) - 4
    return f"{title_html(item)}\n\n{html.escape(shorten(lead, max(room, 80)), quote=False)}"


def item_message(item: LibraryItem, read_more: str) -> OutgoingMessage:
    """What a broadcast of this item puts in each citizen's chat: one message.

    One message per recipient keeps delivery exactly-once per row; the full
    text is one tap away (`NewsOpen`), split as /news shows it.
    """
    attachment = Attachment("photo", f"path:{item.image}") if item.image else None
    return OutgoingMessage(
        text=teaser(item),
        html=True,
        attachment=attachment,
        buttons=((Button(read_more, NewsOpen(item.id)),),),
    )


def item_pages(item: LibraryItem) -> ItemPages:
    """The whole item: title and body cut on paragraph boundaries at Telegram's limits."""
    parts = [title_html(item), *paragraphs(item.body)]
    if item.image is None:
        return ItemPages(None, None, split_paragraphs(parts, TEXT_LIMIT))
    caption = parts[0]
    body = parts[1:]
    # The caption takes the title and as many opening paragraphs as fit in 1024.
    while body and utf16_len(f"{caption}\n\n{body[0]}") <= CAPTION_LIMIT:
        caption = f"{caption}\n\n{body.pop(0)}"
    return ItemPages(item.image, caption, split_paragraphs(body, TEXT_LIMIT) if body else [])


def _first_text_paragraph(markdown: str) -> str:
    for block in markdown.split("\n\n"):
        text = " ".join(line.strip() for line in block.splitlines()).strip()
        if text and not text.startswith("#"):
            return text.replace("**", "").replace("*", "")
    return ""
