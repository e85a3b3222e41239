"""Mask what identifies a person in a citizen's words before they are made public.

Pure functions: phone and ID numbers, e-mail addresses, Telegram handles and
links, and house-number-style addresses ("số 12 ngõ 3", "ngách 7/2", "thửa đất
số 123") become `MASK`; so do the name and phone the citizen shared, when
known. Other names cannot be found reliably, so an officer checks the preview.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.core.config import nfc
from bot.faq.normalize import strip_marks

MASK = "***"

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TELEGRAM_LINK = re.compile(r"(?:https?://)?(?:t|telegram)\.me/[\w+/-]+", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z]\w{3,31}")

# What people put between digit groups: spaces (no-break ones too), dots, dashes,
# and invisible characters pasted along with a number (zero-width space, word
# joiner, byte-order mark) that would otherwise split it out of sight.
_SEP = r"[ .\-\u00a0\u202f\u200b-\u200d\u2060\ufeff]"
# A chain of digit groups, e.g. "+84 912 345 678", "(+84)912345678". It may be
# glued to a word ("sđt0912345678"): only the digits decide whether it is a
# phone, so a date, a year, an amount or a case code stays as it is. `\d` also
# matches full-width digits ("０９１２…").
_DIGIT_CHAIN = re.compile(
    rf"(?<![\d+])(?:\+|\(\+?)?\d+\)?(?:(?:{_SEP}{{1,3}}|(?<=\)))\(?\d+\)?)*(?!\d)"
)
_GROUP = re.compile(r"\+?\d+")

# An address part: a keyword of the way Vietnamese addresses are written, then
# a number such as 12, 12A, 7/2 or 45/12/3. Typed with or without diacritics.
_NUMBER = r"\d+[A-Za-z]?(?:\s?/\s?\d+[A-Za-z]?)*"
_PART_WORDS = (
    r"số\s+nhà",
    r"so\s+nha",
    r"nhà\s+số",
    r"nha\s+so",
    r"ngõ",
    r"ngo",
    r"ngách",
    r"ngach",
    r"hẻm",
    r"hem",
    r"kiệt",
    r"kiet",
    r"căn\s+hộ",
    r"can\s+ho",
    r"phòng",
    r"phong",
    r"lô(?:\s+đất)?",
    r"lo\s+dat",
    r"thửa(?:\s+đất)?",
    r"thua(?:\s+dat)?",
    r"tờ\s+bản\s+đồ",
    r"to\s+ban\s+do",
)
_PART = rf"(?:{'|'.join(_PART_WORDS)})(?:\s+(?:số|so))?\s*{_NUMBER}"
# A bare "số 12" is an address only before a lane or a street ("số 12 đường Lê
# Lợi"): alone it is any number ("số 5 hộ dân"). The street's name stays.
_BARE = rf"(?:số|so)\s*{_NUMBER}(?=[\s,]+(?:{'|'.join(_PART_WORDS)}|đường|duong|phố|pho)\b)"
ADDRESS = re.compile(
    rf"(?<!\w)(?:{_BARE}[\s,]+)?{_PART}(?:[\s,]+{_PART})*(?!\w)|(?<!\w){_BARE}",
    re.IGNORECASE,
)


def is_phone_or_id(digits: str) -> bool:
    """Whether a run of digits is a Vietnamese phone number or a citizen ID number.

    Mobile numbers have 10 digits, landlines 11 starting with 02; the country
    code 84 may stand for the first 0. A citizen ID card (CCCD) number has 12
    digits starting with 0. Amounts of money never start with 0.
    """
    if digits.startswith("84"):
        national = "0" + digits[3:] if digits.startswith("840") else "0" + digits[2:]
        return len(national) == (11 if national.startswith("02") else 10)
    if not digits.startswith("0"):
        return False
    return len(digits) == 12 or len(digits) == (11 if digits.startswith("02") else 10)


def _ascii_digits(text: str) -> str:
    """The decimal digits of `text` as ASCII, whatever script they were typed in."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _mask_chain(chain: str) -> str:
    """Mask the longest runs of groups in a digit chain that form a phone number."""
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(chain)]
    out, cursor, i = [], 0, 0
    while i < len(groups):
        found = None
        for j in range(len(groups) - 1, i - 1, -1):
            digits = _ascii_digits(chain[groups[i][0] : groups[j][1]])
            if is_phone_or_id(digits):
                found = j
                break
        if found is None:
            i += 1
            continue
        start = groups[i][0] - (1 if chain[groups[i][0] - 1 : groups[i][0]] == "(" else 0)
        end = groups[found][1] + (1 if chain[groups[found][1] : groups[found][1] + 1] == ")" else 0)
        out += [chain[cursor:start], MASK]
        cursor, i = end, found + 1
    out.append(chain[cursor:])
    return "".join(out)


def mask_phones(text: str) -> str:
    return _DIGIT_CHAIN.sub(lambda m: _mask_chain(m.group()), text)


def mask_known(text: str, words: Iterable[str]) -> str:
    """Mask each of `words` (e.g. the name the citizen shared) wherever it appears."""
    for word in sorted({nfc(w.strip()) for w in words if len(w.strip()) >= 3}, key=len)[::-1]:
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    return text


def name_variants(name: str) -> list[str]:
    """The full name and, for a name of three words or more, the name without the family name.

    "Nguyễn Thị Lan" is also written "Thị Lan" or "Nguyen Thi Lan"; the given
    name alone ("Lan") is too often an ordinary word to be masked blindly.
    """
    words = nfc(name).split()
    names = [" ".join(words)] + ([" ".join(words[1:])] if len(words) >= 3 else [])
    return names + [strip_marks(n) for n in names]


def mask_personal(text: str, known: Iterable[str] = ()) -> str:
    """The text with personal details replaced by `MASK` (see the module docstring)."""
    text = mask_known(nfc(text), known)
    for pattern in (EMAIL, TELEGRAM_LINK, HANDLE):
        text = pattern.sub(MASK, text)
    text = mask_phones(text)
    return ADDRESS.sub(MASK, text)
