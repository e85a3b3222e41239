"""Filters of `/cases`: mine, overdue, a kind, a topic or a village, combined."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from bot.cases.model import Kind, Topic
from bot.cases.permissions import visible_kinds
from bot.cases.repository import CaseFilter
from bot.core.config import Settings
from bot.people.officers import Officer

MINE = "mine"
OVERDUE = "overdue"


class UnknownFilter(ValueError):
    """A word of `/cases` that names no filter."""


def build_filter(
    words: Iterable[str], officer: Officer, today: date, settings: Settings
) -> CaseFilter:
    """The filter for `/cases word...`; only kinds this officer may see are listed."""
    result = CaseFilter(kinds=visible_kinds(officer))
    for raw in words:
        word = raw.strip().lower()
        if word == MINE:
            result = replace(result, assignee_id=officer.id)
        elif word == OVERDUE:
            result = replace(result, overdue_on=today)
        elif word in {k.value for k in Kind}:
            result = replace(result, kind=Kind(word))
        elif word in {t.value for t in Topic}:
            result = replace(result, topic=Topic(word))
        elif settings.village(word) is not None:
            result = replace(result, village_id=word)
        else:
            raise UnknownFilter(raw)
    return result


def filter_words(settings: Settings) -> str:
    """Every word `/cases` understands, for the help text."""
    words = [MINE, OVERDUE, *(k.value for k in Kind), *(t.value for t in Topic)]
    words += [v.id for v in settings.villages]
    return ", ".join(words)
