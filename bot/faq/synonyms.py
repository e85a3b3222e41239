"""The officers' word list: variants, synonyms and filler words, applied to questions and entries alike.

`content/faq/synonyms.toml` says that "CMND" and "căn cước" name one thing, that
"sanh" is how the South writes "sinh", and that "cho hỏi" carries no meaning.
`Lexicon.analyze` turns a text into the terms the index stores and searches.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.config import ConfigError
from bot.core.content_cache import parsed
from bot.core.paths import CONTENT_DIR
from bot.faq.normalize import tokens

SYNONYMS_FILE = CONTENT_DIR / "faq" / "synonyms.toml"
Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Analysis:
    """A text as the index sees it.

    `terms` is the word sequence stored and searched: filler words dropped,
    and after each synonym phrase its group's canonical term, so "CMND" and
    "căn cước" share a term. `concepts` are the things the text asks about,
    one per plain word and one per synonym phrase (its canonical term): a
    match is judged by how many concepts it covers.
    """

    terms: tuple[str, ...]
    concepts: tuple[str, ...]
    # The concepts in the order said, repeats kept: "làm CMND" and "làm căn cước"
    # are both ("lam", "cancuoc"), which is how a subject of two words is compared.
    sequence: tuple[str, ...] = ()

    def text(self) -> str:
        return " ".join(self.terms)


KNOWN_TEXTS = 20_000  # analyses kept per lexicon; beyond, the memory is given back


@dataclass(frozen=True)
class Lexicon:
    """Variants (word -> standard words), synonym groups and filler phrases, all folded."""

    variants: Mapping[str, Phrase] = field(default_factory=dict)
    # phrase -> canonical term of its group, or None for filler to drop
    phrases: Mapping[Phrase, str | None] = field(default_factory=dict)
    # first word of any phrase -> the longest phrase starting with it
    starts: Mapping[str, int] = field(default_factory=dict)
    # Texts analysed without repair, kept: a lexicon read once per process
    # (bot.core.content_cache) folds the shipped FAQ once, not at every start.
    _known: dict[tuple[str, int | None], Analysis] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(
        cls,
        variants: Mapping[str, str],
        groups: Iterable[Sequence[str]],
        stopwords: Iterable[str],
    ) -> Lexicon:
        folded_variants = {" ".join(tokens(k)): tuple(tokens(v)) for k, v in variants.items()}
        phrases: dict[Phrase, str | None] = {}
        for stop in stopwords:
            phrases[_phrase(stop, folded_variants)] = None
        for group in groups:
            folded = [_phrase(term, folded_variants) for term in group]
            canonical = "".join(folded[0])
            for phrase in folded:
                phrases.setdefault(phrase, canonical)
        phrases.pop((), None)
        starts: dict[str, int] = {}
        for phrase in phrases:
            starts[phrase[0]] = max(starts.get(phrase[0], 0), len(phrase))
        return cls(folded_variants, phrases, starts)

    def analyze(
        self,
        text: str,
        fix: Callable[[list[str]], list[str]] | None = None,
        limit: int | None = None,
    ) -> Analysis:
        """Fold `text` (its first `limit` words), apply variants, repair with `fix`, find phrases."""
        if fix is not None:
            return self._analyze(text, fix, limit)
        known = self._known.get((text, limit))
        if known is None:
            if len(self._known) >= KNOWN_TEXTS:
                self._known.clear()
            known = self._known[(text, limit)] = self._analyze(text, None, limit)
        return known

    def _analyze(
        self, text: str, fix: Callable[[list[str]], list[str]] | None, limit: int | None
    ) -> Analysis:
        words = self._apply_variants(tokens(text, limit))
        if fix is not None:
            words = fix(words)
        terms: list[str] = []
        concepts: list[str] = []
        i = 0
        while i < len(words):
            size, action = self._phrase_at(words, i)
            if size == 0:
                terms.append(words[i])
                concepts.append(words[i])
                i += 1
                continue
            if action is not None:
                terms.extend(words[i : i + size])
                if terms[-1] != action:
                    terms.append(action)
                concepts.append(action)
            i += size
        return Analysis(tuple(terms), tuple(dict.fromkeys(concepts)), tuple(concepts))

    def _apply_variants(self, words: list[str]) -> list[str]:
        result: list[str] = []
        for word in words:
            result.extend(self.variants.get(word, (word,)))
        return result

    def _phrase_at(self, words: list[str], start: int) -> tuple[int, str | None]:
        """The longest known phrase starting at `start`: (its length, its action); 0 if none."""
        longest = self.starts.get(words[start], 0)
        for size in range(min(longest, len(words) - start), 0, -1):
            phrase = tuple(words[start : start + size])
            if phrase in self.phrases:
                return size, self.phrases[phrase]
        return 0, None


def _phrase(text: str, variants: Mapping[str, Phrase]) -> Phrase:
    words: list[str] = []
    for word in tokens(text):
        words.extend(variants.get(word, (word,)))
    return tuple(words)


def load_lexicon(path: Path = SYNONYMS_FILE) -> Lexicon:
    """Read the officers' word list; a mistake in it names the file and the entry."""
    return parsed("faq-lexicon", [path], lambda: _load_lexicon(path))


def _load_lexicon(path: Path) -> Lexicon:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError("[faq] synonyms", f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("[faq] synonyms", f"{path} is not valid TOML: {exc}") from None
    variants = data.get("variants", {})
    stopwords = data.get("stopwords", [])
    groups = data.get("synonyms", [])
    if not isinstance(variants, dict) or not all(isinstance(v, str) for v in variants.values()):
        raise ConfigError("[faq] synonyms", f"{path}: [variants] must map words to text")
    if not isinstance(stopwords, list) or not all(isinstance(s, str) for s in stopwords):
        raise ConfigError("[faq] synonyms", f"{path}: stopwords must be a list of texts")
    if not isinstance(groups, list):
        raise ConfigError("[faq] synonyms", f"{path}: [[synonyms]] must be a list of tables")
    terms: list[list[str]] = []
    for number, group in enumerate(groups, 1):
        found = group.get("terms") if isinstance(group, dict) else None
        if not isinstance(found, list) or len(found) < 2:
            raise ConfigError(
                "[faq] synonyms", f"{path}: synonym group {number} needs terms = [two or more]"
            )
        terms.append([str(t) for t in found])
    return Lexicon.build(variants, terms, stopwords)
