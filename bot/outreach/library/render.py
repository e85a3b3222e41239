"""A library item as messages: a teaser to broadcast, the full text to read."""

from __future__ import annotations

from bot.core.textfmt import shorten, utf16_len
from bot.messaging.markup import Markup, bold
from bot.messaging.messages import Attachment, Button, OutgoingMessage
from bot.outreach.actions import NewsOpen
from bot.outreach.library.items import LibraryItem
from bot.outreach.library.markdown import paragraphs

# A teaser is read at a glance, under a photo too: the title and a few lines.
# The whole item is one tap away, so cutting the lead here loses nothing.
TEASER_LIMIT = 900


def title(item: LibraryItem) -> Markup:
    return bold(item.title)


def teaser(item: LibraryItem) -> Markup:
    """Title and summary (or the opening paragraph), cut to a teaser's length."""
    lead = item.summary or _first_text_paragraph(item.body)
    room = TEASER_LIMIT - utf16_len(item.title) - 4
    return Markup("{}\n\n{}").format(title(item), shorten(lead, max(room, 80)))


def item_message(item: LibraryItem, read_more: str) -> OutgoingMessage:
    """What a broadcast of this item puts in each citizen's chat: one message.

    One message per recipient keeps delivery exactly-once per row; the full
    text is one tap away (`NewsOpen`).
    """
    attachment = Attachment("photo", f"path:{item.image}") if item.image else None
    return OutgoingMessage(
        text=teaser(item),
        attachment=attachment,
        buttons=((Button(read_more, NewsOpen(item.id)),),),
    )


def full_text(item: LibraryItem) -> Markup:
    """The whole item, title first; the channel splits it where its limits need."""
    return Markup("\n\n").join([title(item), *paragraphs(item.body)])


def _first_text_paragraph(markdown: str) -> str:
    for block in markdown.split("\n\n"):
        text = " ".join(line.strip() for line in block.splitlines()).strip()
        if text and not text.startswith("#"):
            return text.replace("**", "").replace("*", "")
    return ""
