"""What the FAQ index knows in memory: its words, typo repair, the FTS5 query and match coverage.

SQLite FTS5 ranks entries by BM25 over folded text; this module decides what
to ask it and how sure a match is. Pure: the repository feeds it rows.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.faq.normalize import LONGEST_WORD
from bot.faq.synonyms import Analysis

COLUMNS = ("question", "alternatives", "keywords", "answer")
# BM25 weight of each column: what the entry asks counts more than its answer.
WEIGHTS = (4.0, 3.0, 3.0, 1.0)
# How much a concept found only in the answer counts towards coverage.
ANSWER_CREDIT = 0.5
PHRASE_SEPARATOR = " | "
# Terms in more than this share of entries are left out of the FTS5 query...
COMMON_SHARE = 0.05
# A small FAQ is fast anyway: prune only terms found in more entries than this.
COMMON_FLOOR = 200
# ...unless nothing rarer is asked, then the rarest few are used.
MIN_TERMS = 3
# At most this many terms (the rarest) are asked of FTS5: each one adds its list of
# entries to score, and a real question has a handful. Coverage still counts them all.
QUERY_TERMS = 16
LONG_WORD = 6  # letters from which a one-slip correction needs no confirming neighbour
# Unknown words repaired in one question: a real question has one or two slips, and
# each repair weighs up to ~54 x its length spellings (1,645 at LONGEST_WORD letters).
REPAIRS = 8

# Letters Vietnamese speakers of one region or another swap in writing.
_ONSET_CLASSES = (("ch", "tr"), ("s", "x"), ("d", "gi", "r", "v"), ("l", "n"))
_CODA_CLASSES = (("n", "ng"), ("t", "c"), ("nh", "n"))
_SYLLABLE = re.compile(r"^(ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdghklmnpqrstvx])?([aeiouy]+)(.*)$")
_LETTERS = "abcdeghiklmnopqrstuvxy"


@dataclass
class Vocabulary:
    """Every indexed term with its document frequency, and the word pairs seen together."""

    df: Counter[str] = field(default_factory=Counter)
    pairs: set[tuple[str, str]] = field(default_factory=set)
    documents: int = 0

    def add(self, columns: Sequence[str]) -> None:
        """Count one entry's folded columns (phrasings separated by PHRASE_SEPARATOR)."""
        self.documents += 1
        seen: set[str] = set()
        for column in columns:
            for phrasing in column.split(PHRASE_SEPARATOR.strip()):
                words = phrasing.split()
                seen.update(words)
                self.pairs.update(itertools.pairwise(words))
        self.df.update(seen)

    def idf(self, term: str) -> float:
        """Rarer terms say more; an unknown term weighs as much as the rarest."""
        return math.log(1 + (self.documents + 1) / (self.df.get(term, 0) + 1))

    def knows(self, term: str) -> bool:
        return term in self.df


def phonetic_variants(word: str) -> list[str]:
    """Spellings of `word` with a regionally confused onset or final consonant swapped."""
    match = _SYLLABLE.match(word)
    if match is None:
        return []
    onset, vowels, coda = match.group(1) or "", match.group(2), match.group(3)
    found: list[str] = []
    for group in _ONSET_CLASSES:
        if onset in group:
            found += [o + vowels + coda for o in group if o != onset]
    for group in _CODA_CLASSES:
        if coda in group:
            found += [onset + vowels + c for c in group if c != coda]
    return found


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


class Corrector:
    """Repairs words of a question that the index does not know."""

    def __init__(self, vocabulary: Vocabulary, ignore: Callable[[str], bool]) -> None:
        self._vocab = vocabulary
        self._ignore = ignore

    def __call__(self, words: list[str]) -> list[str]:
        content = [i for i, w in enumerate(words) if not self._ignore(w)]
        fixed = list(words)
        tries = REPAIRS
        for n, i in enumerate(content):
            if tries == 0:
                break
            if not self._repairable(words[i]):
                continue
            tries -= 1
            before = fixed[content[n - 1]] if n > 0 else None
            after = words[content[n + 1]] if n + 1 < len(content) else None
            fixed[i] = self._fix(words[i], before, after)
        return fixed

    def _repairable(self, word: str) -> bool:
        """An unknown word of letters, no longer than a real word can be."""
        # A real word is kept even if a neighbour suggests another: "điện ở
        # thôn" became "viên ở thôn" that way. Common real-word slips such
        # as "tạm chú" belong in the synonym table instead.
        return word.isalpha() and len(word) <= LONGEST_WORD and not self._vocab.knows(word)

    def _fits(self, word: str, before: str | None, after: str | None) -> bool:
        pairs = self._vocab.pairs
        return (before, word) in pairs or (word, after) in pairs

    def _plausible(self, guess: str, word: str, before: str | None, after: str | None) -> bool:
        if not self._vocab.knows(guess):
            return False
        return len(word) >= LONG_WORD or self._fits(guess, before, after)

    def _fix(self, word: str, before: str | None, after: str | None) -> str:
        vocab = self._vocab
        # One slip away from a short syllable lie many real words ("chut" is
        # "chuc", "chup", "chu"...): take such a guess only where a neighbour
        # confirms it, or for words long enough to be unambiguous.
        phonetic = [v for v in phonetic_variants(word) if self._plausible(v, word, before, after)]
        # Known spellings first, by one set intersection: most of the ~54 per letter are not.
        known = edits1(word) & vocab.df.keys() if len(word) >= 3 else set()
        typos = [v for v in known if self._plausible(v, word, before, after)]
        candidates = set(phonetic) | set(typos)
        if not candidates:
            return word

        def rank(candidate: str) -> tuple[bool, bool, int]:
            return (
                self._fits(candidate, before, after),
                candidate in phonetic,
                vocab.df[candidate],
            )

        return max(sorted(candidates), key=rank)


def match_expression(analysis: Analysis, vocabulary: Vocabulary) -> str | None:
    """The FTS5 query: the question's telling terms, and known adjacent pairs as phrases.

    OR keeps a question that says a word too many answerable; the pairs make
    "khai sinh" outrank an entry that has "khai" here and "sinh" there.
    Terms found in most entries are left out: they barely move BM25 but make
    FTS5 score nearly every row (p99 30 ms instead of 7 ms at 10,000 entries).
    Coverage still counts them.
    """
    known = sorted(
        (t for t in dict.fromkeys(analysis.terms) if vocabulary.knows(t)),
        key=lambda t: vocabulary.df[t],
    )
    if not known:
        return None
    limit = max(COMMON_SHARE * vocabulary.documents, COMMON_FLOOR)
    kept = [t for t in known if vocabulary.df[t] <= limit][:QUERY_TERMS]
    if not kept:
        # Only common words ("khai sinh quá hạn"): ask for two of the rarest
        # three together, which still finds the entry and scores far fewer rows.
        rarest = known[:MIN_TERMS]
        if len(rarest) == 1:
            return f'"{rarest[0]}"'
        return " OR ".join(f'("{a}" AND "{b}")' for a, b in itertools.combinations(rarest, 2))
    telling = set(kept)
    pairs = [
        f'"{a} {b}"'
        for a, b in dict.fromkeys(itertools.pairwise(analysis.terms))
        if (a in telling or b in telling) and (a, b) in vocabulary.pairs
    ]
    return " OR ".join([*(f'"{t}"' for t in kept), *pairs])


def coverage(
    analysis: Analysis, asked: Iterable[str], answered: Iterable[str], vocabulary: Vocabulary
) -> float:
    """Share of the question's concepts (weighted by rarity) that an entry covers.

    `asked` are the entry's terms in its question, phrasings and keywords,
    `answered` those in its answer, which count for ANSWER_CREDIT.
    """
    asked_set, answered_set = set(asked), set(answered)
    total = found = 0.0
    for concept in analysis.concepts:
        weight = vocabulary.idf(concept)
        total += weight
        if concept in asked_set:
            found += weight
        elif concept in answered_set:
            found += weight * ANSWER_CREDIT
    return found / total if total else 0.0


def subject_pairs(sequence: Sequence[str]) -> set[frozenset[str]]:
    """The concepts said side by side, in either order ("họp dân", "dân họp")."""
    return {frozenset((a, b)) for a, b in itertools.pairwise(sequence) if a != b}


def shares_subject(
    question: Analysis, asked: set[frozenset[str]], entry: set[frozenset[str]], named: set[str]
) -> bool:
    """Whether an entry is about what the question asks, not merely sharing its syllables.

    Folded Vietnamese words are syllables: "khi nao hop dan" (when is the
    villagers' meeting) shares "hop" with "hợp đồng" (contract) and "dan"
    with "người dân", and so covers most of an entry about contracts. A
    question of two or more concepts names its subject by concepts side by
    side (`asked`); an entry shares it when it asks about two of them side
    by side too (`entry`: the pairs and single concepts of its question,
    phrasings and keywords, `entry_subjects`), or asks about a thing the question names by
    the officers' word list
    (`named`: "tạm trú", "khuyết tật" are a subject by themselves, "lệ phí"
    is not). A question of one concept ("CMND") is its own subject.
    """
    if not asked or not asked.isdisjoint(entry):
        return True
    # `named` holds a few concepts, `entry` many pairs: each concept is looked up
    # by its single-concept set, which `entry_subjects` adds for every concept.
    concepts = set(question.concepts)
    return any(c in concepts and frozenset((c,)) in entry for c in named)


def entry_subjects(sequence: Sequence[str]) -> set[frozenset[str]]:
    """What one phrasing of an entry asks about, for `shares_subject`: its concepts
    side by side, and each concept alone (for a question naming one thing)."""
    return subject_pairs(sequence) | {frozenset((c,)) for c in sequence}
