"""A sent announcement as citizens reread it in the archive: its headline in a list."""

from __future__ import annotations

from bot.core.textfmt import shorten
from bot.messaging.markup import runs_of, visible
from bot.messaging.messages import OutgoingMessage

HEADLINE_LIMIT = 80


def headline(message: OutgoingMessage) -> str:
    """Its first line of text, plain and short enough for a list; "" when it has none."""
    text = visible(runs_of(message.text, message.html))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return shorten(first, HEADLINE_LIMIT)
