"""Tracking codes citizens read aloud and type on a phone: `PA-7KX45`.

The alphabet leaves out 0/O, 1/I/L, which people confuse when reading or
hearing them. The last character is a check character, so a mistyped
character or two swapped neighbours are caught before any lookup.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY_LENGTH = 4
DEFAULT_PREFIX = "PA"
_PREFIX_RE = re.compile(r"^[A-Z]{1,4}$")


def check_character(body: str) -> str:
    """The check character of `body` (characters of ALPHABET).

    The alphabet has a prime number of characters (31), so a weighted sum
    with distinct weights catches every single wrong character and every
    swap of two neighbours; Luhn mod N would miss some with an odd base.
    """
    n = len(ALPHABET)
    total = sum((i + 2) * ALPHABET.index(c) for i, c in enumerate(body))
    return ALPHABET[-total % n]


def is_valid_body(body: str) -> bool:
    """Whether `body` + check character is a well-formed code body."""
    if len(body) != BODY_LENGTH + 1 or any(c not in ALPHABET for c in body):
        return False
    return check_character(body[:-1]) == body[-1]


def new_code(
    prefix: str = DEFAULT_PREFIX, randbelow: Callable[[int], int] = secrets.randbelow
) -> str:
    """A fresh random code such as `PA-7KX45`."""
    body = "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(BODY_LENGTH))
    return f"{prefix}-{body}{check_character(body)}"


def parse_code(text: str, prefix: str = DEFAULT_PREFIX) -> str | None:
    """The canonical code for what someone typed, or None if it cannot be one.

    Case, spaces and dashes do not matter, and the prefix may be left out:
    "pa 7kx45", "7KX45" and "PA-7KX45" are the same code.
    """
    cleaned = re.sub(r"[\s\-_.]", "", text).upper()
    if cleaned.startswith(prefix) and len(cleaned) == len(prefix) + BODY_LENGTH + 1:
        cleaned = cleaned[len(prefix) :]
    if not is_valid_body(cleaned):
        return None
    return f"{prefix}-{cleaned}"


def valid_prefix(prefix: str) -> bool:
    return bool(_PREFIX_RE.match(prefix))
