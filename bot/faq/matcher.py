"""Turns entries into index text and a citizen's question into ranked, judged matches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.faq.index import (
    PHRASE_SEPARATOR,
    Corrector,
    Vocabulary,
    coverage,
    entry_subjects,
    match_expression,
    shares_subject,
    subject_pairs,
)
from bot.faq.normalize import fold
from bot.faq.repository import EntryDraft, IndexText
from bot.faq.synonyms import Analysis, Lexicon

# A question is read from its first QUESTION_WORDS words within its first QUESTION_CHARS
# characters: real questions are a sentence or two, and one question then costs a
# bounded time and memory whatever a citizen pastes (a 4,096-letter word, a page).
QUESTION_WORDS = 64
QUESTION_CHARS = 1_000
# Entry phrasings whose concept pairs are kept: every phrasing of a large FAQ.
PAIRS_KEPT = 100_000
# A named thing found in more than this share of entries is an aspect ("lệ phí"), not a subject.
SUBJECT_SHARE = 0.25


class Verdict(StrEnum):
    """How sure the bot is: answer at once, offer three questions, or hand over to officers."""

    CONFIDENT = "confident"
    MIDDLING = "middling"
    NONE = "none"
    EMPTY = "empty"  # nothing but greetings and filler words: not logged


@dataclass(frozen=True)
class Thresholds:
    """Coverage needed for each verdict, and how far the best must lead the second."""

    confident: float = 0.75
    middling: float = 0.5
    lead: float = 1.25  # BM25 ratio best/second that settles two equally covering entries


@dataclass(frozen=True)
class Candidate:
    """One entry found for a question: its BM25 score and the share of the question it covers."""

    entry_id: int
    score: float
    coverage: float


class Matcher:
    """Holds the word list and the vocabulary of what is indexed."""

    def __init__(self, lexicon: Lexicon, thresholds: Thresholds = Thresholds()) -> None:
        self.lexicon = lexicon
        self.thresholds = thresholds
        self.vocabulary = Vocabulary()
        self._filler = {p[0] for p, action in lexicon.phrases.items() if len(p) == 1 and not action}
        # Things the word list names by a phrase of several words ("tạm trú").
        self._named = {action for p, action in lexicon.phrases.items() if action and len(p) > 1}
        # The concept pairs of each entry phrasing: a few per entry, read at every question.
        self._pairs: dict[str, set[frozenset[str]]] = {}
        self._corrector = Corrector(self.vocabulary, self._filler.__contains__)

    def index_text(self, draft: EntryDraft) -> tuple[str, IndexText]:
        """The entry's folded question (its key) and the columns FTS5 stores for it."""

        def text(parts: Sequence[str]) -> str:
            return PHRASE_SEPARATOR.join(self.lexicon.analyze(p).text() for p in parts)

        # An entry for one village may ask what the all-village one asks: its own key.
        key = fold(draft.question) + (f" @{draft.village_id}" if draft.village_id else "")
        return key, IndexText(
            question=text([draft.question]),
            alternatives=text(draft.alternatives),
            keywords=text(draft.keywords),
            answer=text([draft.answer, draft.topic]),
        )

    def reset(self, texts: Mapping[int, IndexText]) -> None:
        """Rebuild the vocabulary from everything indexed."""
        self.vocabulary.df.clear()
        self.vocabulary.pairs.clear()
        self.vocabulary.documents = 0
        for index in texts.values():
            self.vocabulary.add(index.columns())

    def learn(self, index: IndexText) -> None:
        """Add one new entry's words (a removed entry's words may linger until the next reset)."""
        self.vocabulary.add(index.columns())

    def analyze(self, question: str, *, correct: bool = True) -> Analysis:
        """The question's terms and concepts, from its first words only, typos repaired."""
        fix = self._corrector if correct else None
        return self.lexicon.analyze(question[:QUESTION_CHARS], fix, limit=QUESTION_WORDS)

    def expression(self, analysis: Analysis) -> str | None:
        return match_expression(analysis, self.vocabulary)

    def judge(
        self, analysis: Analysis, found: Sequence[tuple[int, float, IndexText]]
    ) -> list[Candidate]:
        """Candidates about the question's subject, best first: covering more, then by BM25.

        An entry that only shares syllables with the question ("hop" of
        "hợp đồng" for "họp dân") is no candidate at all, however much of the
        question it covers: better "nothing fits, ask the officers" than
        three unrelated suggestions.
        """
        candidates = []
        subject = subject_pairs(analysis.sequence)
        named = self._subjects(analysis)
        for entry_id, score, index in found:
            if not shares_subject(analysis, subject, self._entry_pairs(index), named):
                continue
            asked = " ".join((index.question, index.alternatives, index.keywords)).split()
            share = coverage(analysis, asked, index.answer.split(), self.vocabulary)
            candidates.append(Candidate(entry_id, score, share))
        return sorted(candidates, key=lambda c: (round(c.coverage, 1), c.score), reverse=True)

    def _subjects(self, analysis: Analysis) -> set[str]:
        """The question's named things that are a subject, not an aspect of many entries.

        "lệ phí" (a fee) or "ủy ban" is named in most entries: sharing it says
        nothing about what is asked.
        """
        common = SUBJECT_SHARE * self.vocabulary.documents
        return {
            c
            for c in analysis.concepts
            if c in self._named and self.vocabulary.df.get(c, 0) <= common
        }

    def _entry_pairs(self, index: IndexText) -> set[frozenset[str]]:
        """The concept pairs of what an entry asks (its answer is not its subject)."""
        pairs: set[frozenset[str]] = set()
        for column in (index.question, index.alternatives, index.keywords):
            for phrasing in column.split(PHRASE_SEPARATOR.strip()):
                known = self._pairs.get(phrasing)
                if known is None:
                    known = entry_subjects(self.lexicon.analyze(phrasing).sequence)
                    if len(self._pairs) < PAIRS_KEPT:
                        self._pairs[phrasing] = known
                pairs |= known
        return pairs

    def verdict(self, candidates: Sequence[Candidate]) -> Verdict:
        if not candidates or candidates[0].coverage < self.thresholds.middling:
            return Verdict.NONE
        best = candidates[0]
        if best.coverage < self.thresholds.confident:
            return Verdict.MIDDLING
        if len(candidates) == 1:
            return Verdict.CONFIDENT
        second = candidates[1]
        clear = second.coverage < best.coverage - 0.1 or (
            best.score >= self.thresholds.lead * second.score
        )
        return Verdict.CONFIDENT if clear else Verdict.MIDDLING
