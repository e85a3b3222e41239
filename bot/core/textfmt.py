"""Text measures: a length as chat platforms count it, and a plain text cut to a length."""

from __future__ import annotations


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (as Telegram counts): emoji outside the BMP count twice."""
    return len(text.encode("utf-16-le")) // 2


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
