"""Text measures: lengths as Telegram counts them, plain text cut at a word."""

from bot.core.textfmt import shorten, utf16_len


def test_emoji_count_twice_as_telegram_counts() -> None:
    assert utf16_len("📣a") == 3


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("một hai ba bốn năm", 11) == "một hai ba…"
    assert shorten("ngắn", 10) == "ngắn"
