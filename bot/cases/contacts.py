"""Names and Vietnamese phone numbers as citizens type or share them."""

from __future__ import annotations

import re

from bot.cases.model import Contact
from bot.core.config import nfc
from bot.core.sanitize import clean_line

# 0 or +84 / 84, then 9 digits; people type spaces, dots or dashes between groups.
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){9}(?!\d)")
MAX_NAME = 80


def normalize_phone(raw: str) -> str | None:
    """A phone number as 0XXXXXXXXX, or None if it is not a Vietnamese number."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) != 10 or not digits.startswith("0"):
        return None
    return digits


def parse_contact(text: str) -> Contact | None:
    """Name and phone from text such as "Nguyễn Văn An 0912 345 678"; None if unclear."""
    text = clean_line(text)
    match = _PHONE_RE.search(text)
    if match is None:
        return None
    phone = normalize_phone(match.group())
    name = (text[: match.start()] + " " + text[match.end() :]).strip(" ,;:-\n\t")
    name = re.sub(r"\s+", " ", nfc(name))
    if phone is None or len(name) < 2 or len(name) > MAX_NAME or any(c.isdigit() for c in name):
        return None
    return Contact(name=name, phone=phone)


def shared_contact(first_name: str, last_name: str | None, phone: str) -> Contact | None:
    """The contact from a share-contact button press."""
    number = normalize_phone(clean_line(phone))
    name = clean_line(nfc(" ".join(p for p in (last_name, first_name) if p)))
    if number is None or not name:
        return None
    return Contact(name=name, phone=number)
