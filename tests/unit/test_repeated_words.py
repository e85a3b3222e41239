"""No catalog text, filled with another catalog text, says a word twice in a row.

The consent text once read "…chỉ chỉ cán bộ…": its template said "chỉ {who}"
and every {who} began with "chỉ". Each row below is a template whose
placeholder the code fills with other catalog texts; the values come from the
real N_ tables (kinds, topics, statuses, offices, roles), so new entries are
checked as they are added.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable

import pytest

from bot.cases.model import KIND_NAMES, OFFICE_NAMES, STATUS_NAMES, TOPIC_NAMES
from bot.core.i18n import _, catalog, use_language
from handlers.people.officers import ROLE_NAMES

Values = Callable[[], list[str]]


def names(table: Iterable[str], lower: bool = False) -> Values:
    """The translated texts of an N_ table, as the call site shapes them."""
    listed = list(table)
    return lambda: [_(m).lower() if lower else _(m) for m in listed]


def texts(*messages: str) -> Values:
    return lambda: [_(m) for m in messages]


CONSENT = (
    "So that the commune can contact you about this case, we would like your name "
    "and phone number. They are used only to handle this case, are seen by {who}, "
    "and are never published. You can see or erase them at any time with /mydata."
)
WHO = texts(
    "only the justice officer and the chairman",
    "only the commune officers handling your case and the commune chairman",
)
KINDS_LOWER = names(KIND_NAMES.values(), lower=True)
OFFICE = "{office}, People's Committee of {commune} commune"

# template message id -> {placeholder: values}; other placeholders get a number.
TABLE: dict[str, dict[str, Values]] = {
    CONSENT: {"who": WHO},
    "A {kind} cannot be anonymous: the law does not process anonymous ones.": {"kind": KINDS_LOWER},
    "Kind: {kind}": {"kind": names(KIND_NAMES.values())},
    "Topic: {topic}": {"topic": names(TOPIC_NAMES.values())},
    "Status: {status}": {"status": names(STATUS_NAMES.values())},
    "Roles: {roles}": {"roles": names(ROLE_NAMES.values())},
    OFFICE: {"office": names(OFFICE_NAMES.values())},
    "Your {kind} {code} has been accepted by {office}. Expected answer by {date}.": {
        "kind": KINDS_LOWER,
        "office": names(OFFICE_NAMES.values()),
    },
    (
        "Thank you. Your {kind} has been received.\n"
        "Tracking code: {code}\n"
        "The commune will answer by {date}.\n\n"
        "You will be told here at every step. To see where it stands, send /track {code}."
    ): {"kind": KINDS_LOWER},
    (
        "Please note: a formal {kind} must be a signed written petition, or be made in "
        "person at the commune office. A chat message alone is not a formal filing.\n\n"
        "You can:\n"
        "1. Download the petition below, already filled in, then print, sign and hand it in.\n"
        "2. Come to the citizen reception day: {when}, at {place}."
    ): {"kind": KINDS_LOWER},
}

WORD = re.compile(r"[^\W_]+")
PLACEHOLDER = re.compile(r"{(\w+)}")


def repeated(text: str) -> list[str]:
    """Words said twice in a row, case-insensitive, numbers ignored."""
    words = [w.casefold() for w in WORD.findall(text) if not any(c.isdigit() for c in w)]
    return [a for a, b in itertools.pairwise(words) if a == b]


def renderings(template: str, slots: dict[str, Values]) -> Iterable[str]:
    translated = _(template)
    others = {p: "0" for p in PLACEHOLDER.findall(translated) if p not in slots}
    choices = [[(p, v) for v in values()] for p, values in slots.items()]
    for combination in itertools.product(*choices):
        yield translated.format(**others, **dict(combination))


def test_the_check_catches_the_old_consent_bug() -> None:
    assert repeated("được xem bởi chỉ chỉ cán bộ tư pháp") == ["chỉ"]
    assert repeated("Mã 12 12 đã nhận") == []


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("template", list(TABLE))
def test_no_word_is_doubled(language: str, template: str) -> None:
    assert template in catalog("vi"), f"the table names a text the code no longer has: {template}"
    with use_language(language):
        for text in renderings(template, TABLE[template]):
            assert repeated(text) == [], text
