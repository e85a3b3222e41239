"""Translated texts from the Babel catalogs, in the language of the person served.

Texts in code are English message ids; `content/locale/<lang>/LC_MESSAGES/*.po`
hold Vietnamese (first) and English. The language of the update being handled
is kept in a ContextVar, so concurrent updates never see each other's.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from functools import cache
from pathlib import Path

from babel import dates, numbers
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from bot.core.config import LANGUAGES
from bot.core.paths import LOCALE_DIR

_language: ContextVar[str] = ContextVar("language", default="vi")


@cache
def catalog(language: str, locale_dir: Path = LOCALE_DIR) -> dict[str, str | tuple[str, ...]]:
    """Every translated message of one language, from all its .po files."""
    messages: dict[str, str | tuple[str, ...]] = {}
    for path in sorted((locale_dir / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not message.id or message.fuzzy:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                if isinstance(message.string, str):
                    if message.string:
                        messages[key] = message.string
                elif message.string and all(message.string):
                    messages[key] = tuple(message.string)
    return messages


def current_language() -> str:
    return _language.get()


def set_language(language: str) -> None:
    """Serve the rest of this update (this asyncio task's context) in `language`."""
    _language.set(language if language in LANGUAGES else "vi")


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Temporarily speak another language, e.g. to notify an officer."""
    token = _language.set(language if language in LANGUAGES else "vi")
    try:
        yield
    finally:
        _language.reset(token)


def gettext(message: str) -> str:
    translated = catalog(_language.get()).get(message)
    return translated if isinstance(translated, str) else message


def ngettext(singular: str, plural: str, count: int) -> str:
    translated = catalog(_language.get()).get(singular)
    if isinstance(translated, tuple):
        index = _plural_index(_language.get())(count)
        return translated[min(index, len(translated) - 1)]
    return singular if count == 1 else plural


@cache
def _plural_index(language: str) -> Callable[[int], int]:
    """Which msgstr[i] a count takes (CLDR's plural_form gives a tag, not an index)."""
    return gettext_module.c2py(get_plural(language).plural_expr)


def N_(message: str) -> str:
    """Mark a text for extraction where it is defined; translate it where it is shown."""
    return message


_ = gettext


def format_date(value: date, format: str = "medium") -> str:
    return dates.format_date(value, format=format, locale=_language.get())


def format_datetime(value: datetime, tz: tzinfo, format: str = "short") -> str:
    """Show an aware moment in the commune's time zone, in the current language."""
    return dates.format_datetime(value, format=format, tzinfo=tz, locale=_language.get())


def format_number(value: float) -> str:
    return numbers.format_decimal(value, locale=_language.get())


# Each language named in itself, the way a language picker shows it.
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
