"""The domain's markup as Telegram shows it: HTML parse mode, within Telegram's length limits.

Telegram's HTML is the markup's own subset, so rendering is parsing the
markup and writing it out again with every tag balanced and every other
character escaped. Telegram counts a text's length in UTF-16 code units
after parsing (tags do not count) and after trimming the ends: so does
`telegram_len`, and so a text is split as late as Telegram allows.
"""

from __future__ import annotations

from functools import lru_cache

from telegram.constants import MessageLimit

from bot.core.textfmt import utf16_len
from bot.messaging.markup import Markup, Runs, fit, parse, runs_of, split, take, to_html, visible

TEXT_LIMIT = int(MessageLimit.MAX_TEXT_LENGTH)  # 4,096 for a message
CAPTION_LIMIT = int(MessageLimit.CAPTION_LENGTH)  # 1,024 for a file's caption


def telegram_len(runs: Runs) -> int:
    """A text's length as Telegram counts it against its limits."""
    return utf16_len(visible(runs).strip())


def to_telegram_html(markup: str) -> str:
    """Markup as Telegram's HTML parse mode takes it (no length limit applied)."""
    return to_html(parse(markup))


def is_markup(text: str, html: bool = False) -> bool:
    """Whether a text is markup: a Markup value, or an outbox message flagged html."""
    return html or isinstance(text, Markup)


# A broadcast sends the same text to thousands: render it once.
@lru_cache(maxsize=256, typed=True)  # typed: Markup("a<b") is not "a<b"
def texts(text: str, html: bool = False, limit: int = TEXT_LIMIT) -> tuple[str, ...]:
    """A text as Telegram HTML messages, split at paragraph ends when it is too long."""
    runs = runs_of(text, is_markup(text, html))
    return tuple(to_html(piece) for piece in split(runs, limit, telegram_len))


@lru_cache(maxsize=256, typed=True)  # typed: Markup("a<b") is not "a<b"
def caption_and_texts(text: str, html: bool = False) -> tuple[str, tuple[str, ...]]:
    """A file's caption (the opening that fits 1,024) and the rest of the text as messages."""
    caption, rest = take(runs_of(text, is_markup(text, html)), CAPTION_LIMIT, telegram_len)
    return to_html(caption), tuple(to_html(p) for p in split(rest, TEXT_LIMIT, telegram_len))


def fitted(text: str, html: bool = False) -> tuple[str, tuple[str, ...]]:
    """For a message edited in place: what fits, cut with "…", then the rest as messages."""
    head, rest = fit(runs_of(text, is_markup(text, html)), TEXT_LIMIT, telegram_len)
    return to_html(head), tuple(to_html(p) for p in split(rest, TEXT_LIMIT, telegram_len))
