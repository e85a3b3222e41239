"""Fold Vietnamese as citizens type it into one comparable form: no case, tones or Telex leftovers.

`fold("Làm SỔ ĐỎ ở đâu?")`, `fold("lam so do o dau")`, `fold("lamf sor ddor owr ddaau")`
and the NFD-decomposed spelling all give `"lam so do o dau"`. Pure functions only.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

# Letters some keyboards and fonts use for Đ; NFD does not decompose any of them.
_D_LIKE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ɖ": "d", "Ɖ": "d"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_VOWELS = set("aeiouyw")
_TONE_KEYS = "sfrxj"
# Vietnamese final consonants: a Telex tone key may sit before one ("ddaast" for "đất").
_CODA = r"(?:ch|ng|nh|c|m|n|p|t)"
_TONE_BEFORE_CODA = re.compile(rf"^([a-z]*[aeiouyw])[{_TONE_KEYS}]({_CODA})$")
_ONSETS = r"(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdghklmnpqrstvx])"
# "kí"/"ký", "lí"/"lý", "qui"/"quy": both spellings are correct, so fold them together.
_Y_AFTER_ONSET = re.compile(rf"^({_ONSETS})y$")
# VNI typing leaves digits after letters: "la2m" for "làm", "d9a6t1" for "đất". A word
# is VNI-shaped when it starts with a letter, has no 0 and has a digit: checked in two
# linear steps, since one pattern with a digit in the middle backtracks quadratically.
_VNI_SHAPE = re.compile(r"[a-z][a-z1-9]*")
_TELEX_PAIRS = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"))


def strip_marks(text: str) -> str:
    """Lower-case `text` and drop every tone and vowel mark; đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_LIKE))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold().translate(_D_LIKE)


# Letters in the longest word worth caching or repairing: Vietnamese words have at most
# 7 letters, loans and joined words ("khaisinhchocon") stay well under this.
LONGEST_WORD = 30
# Folded words remembered: a FAQ's vocabulary is a few thousand words; each entry
# costs ~250 bytes at most, so junk words cannot grow the cache past ~4 MB.
CACHED_WORDS = 16_384


def tokens(text: str, limit: int | None = None) -> list[str]:
    """The folded words of `text` (the first `limit` only), punctuation dropped, Telex and VNI undone."""
    words = (word for word in _NOT_WORD.split(strip_marks(text)) if word)
    return [fold_word(word) for word in itertools.islice(words, limit)]


def fold(text: str) -> str:
    """`text` folded to plain lower-case ASCII words separated by single spaces."""
    return " ".join(tokens(text))


def fold_word(word: str) -> str:
    """Undo Telex or VNI leftovers in one mark-free word and unify i/y spellings."""
    # A word longer than any real one is folded each time it comes, never kept.
    return _fold_word(word) if len(word) > LONGEST_WORD else _fold_known(word)


@lru_cache(maxsize=CACHED_WORDS)
def _fold_known(word: str) -> str:
    return _fold_word(word)


def _fold_word(word: str) -> str:
    word = _unvni(word)
    word = _untelex(word)
    match = _Y_AFTER_ONSET.match(word)
    return f"{match.group(1)}i" if match else word


def _unvni(word: str) -> str:
    if word.isalpha() or not _VNI_SHAPE.fullmatch(word):
        return word
    letters = "".join(c for c in word if c.isalpha())
    # "b1" (a driving-licence class) is no VNI: a mark key follows a vowel or d.
    marks_a_letter = any(
        c.isdigit() and (p in _VOWELS or p == "d") for p, c in itertools.pairwise(word)
    )
    if len(letters) < 2 or not marks_a_letter:
        return word
    return letters


def _untelex(word: str) -> str:
    """Remove Telex keys a failed input method left as letters.

    Vietnamese words never end in s, f, r, x or j, never put them between a
    vowel and a final consonant, and never contain dd, aa, ee, w: where they
    do, they are tone or mark keys. ("oo" does occur, in rare loans such as
    "xoong"; folding it too is harmless because entries are folded alike.)
    """
    if not word.isalpha() or not any(c in _VOWELS for c in word):
        return word
    if len(word) > 1 and word[-1] in _TONE_KEYS and any(c in _VOWELS for c in word[:-1]):
        word = word[:-1]
    word = _TONE_BEFORE_CODA.sub(r"\1\2", word)
    for telex, plain in _TELEX_PAIRS:
        word = word.replace(telex, plain)
    # "uw" is ư and a lone "w" too ("tw" for "tư"); "uow" is ươ.
    return word.replace("uw", "u").replace("w", "u")
