"""Plain words that stand for commands where people do not type slashes (Zalo).

One table: each command's words in Vietnamese and English. A message is a
command when the whole of it is one of the words, with or without
diacritics and in any case ("bắt đầu", "Bat dau"); a command that takes
arguments also matches the message's first words ("tra cuu PA-7KX45").
The other way, `spoken` words the bot's own texts for such people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.i18n import current_language


@dataclass(frozen=True)
class Word:
    """A command and the words that stand for it; the first of each language is shown in help."""

    command: str
    vi: tuple[str, ...]
    en: tuple[str, ...]
    takes_args: bool = False


WORDS = (
    Word("start", ("bắt đầu",), ("start", "subscribe")),  # not "đăng ký": a question starts so
    Word("track", ("tra cứu",), ("track",), takes_args=True),
    Word("cancel", ("hủy", "huỷ"), ("cancel",)),
    Word("help", ("trợ giúp", "hướng dẫn"), ("help",)),
    Word("news", ("tin tức", "tin mới"), ("news",)),
    Word("models", ("dân vận khéo",), ("models",)),
    Word("answers", ("hỏi đáp", "câu hỏi thường gặp"), ("faq", "answers")),
    Word("feedback", ("góp ý", "phản ánh", "kiến nghị"), ("feedback",)),
    Word("settings", ("cài đặt",), ("settings",)),
    Word("mydata", ("dữ liệu của tôi",), ("my data", "mydata")),
    Word("stop", ("ngừng nhận tin", "dừng nhận tin", "hủy đăng ký"), ("stop", "unsubscribe")),
    Word("consult", ("lấy ý kiến", "biểu quyết"), ("consult", "vote")),
    Word("stats", ("thống kê", "số liệu"), ("stats",)),
)


def fold(text: str) -> str:
    """Lower case, no diacritics ("đ" is "d"), single spaces, no closing punctuation."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", bare).strip(" .!?").lower()


def command_for(text: str) -> str | None:
    """The command a message stands for, with its arguments ("/track PA-7KX45"), or None."""
    folded = fold(text)
    if not folded:
        return None
    for word in WORDS:
        for phrase in map(fold, (*word.vi, *word.en)):
            if folded == phrase:
                return f"/{word.command}"
            if word.takes_args and folded.startswith(phrase + " "):
                rest = text.split()[len(phrase.split()) :]
                return " ".join([f"/{word.command}", *rest])
    return None


# A "/command" standing alone: not a URL's path, not a file's.
_COMMAND = re.compile(r"(?<![\w/.:])/([a-z]+)\b")


def spoken(text: str) -> str:
    """The text for people who do not type slashes: each "/command" that has a word
    becomes the word, quoted ("gửi /track PA-7KX45" → "gửi “tra cứu” PA-7KX45"),
    in the current language; a command without one stays (typed, it works too)."""

    def word(match: re.Match[str]) -> str:
        found = word_for(match.group(1))
        return f"“{found}”" if found else match.group(0)

    return _COMMAND.sub(word, text)


def word_for(command: str) -> str | None:
    """The word help shows for a command in the current language, or None if it has none."""
    for word in WORDS:
        if word.command == command:
            return (word.en if current_language() == "en" else word.vi)[0]
    return None
