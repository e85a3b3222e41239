"""Names, phone numbers and titles as they come in: no invisible or direction-changing characters.

A right-to-left override (U+202E) in a name turns the rest of an officer's
card around ("0912345678" shows as "8765432190"); zero-width characters make
two names look the same that compare different; control characters have no
business in a name. They are dropped where such text enters the bot.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides and isolates, and the marks that steer them.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\ufeff\u2060")
_SPACES = re.compile(r"\s+")


def _unwanted(char: str, keep: str) -> bool:
    if char in keep:
        return False
    return char in BIDI or char in ZERO_WIDTH or unicodedata.category(char) == "Cc"


def clean_line(text: str) -> str:
    """A one-line value (a name, a phone number, a title): unwanted characters dropped,
    line breaks and runs of spaces made one space, the ends trimmed."""
    spaced = "".join(" " if c in "\n\r\t" else c for c in text)
    return _SPACES.sub(" ", "".join(c for c in spaced if not _unwanted(c, ""))).strip()


def clean_text(text: str) -> str:
    """A text that may hold lines (a description): unwanted characters dropped, but
    newlines and tabs kept."""
    return "".join(c for c in text if not _unwanted(c, "\n\t"))
