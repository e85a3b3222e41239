"""What one question may cost: words read, words repaired, spellings weighed, terms searched."""

import pytest

from bot.faq.index import QUERY_TERMS, REPAIRS, Corrector, Vocabulary, edits1, match_expression
from bot.faq.matcher import QUESTION_CHARS, QUESTION_WORDS, Matcher
from bot.faq.normalize import LONGEST_WORD, fold
from bot.faq.synonyms import Analysis, Lexicon

# Made-up long words over the letters Vietnamese uses, each unlike the others.
LONG = "nghieng" * 600


def word(length: int, n: int = 0) -> str:
    """A word of `length` letters, the n-th of its length (n < 20)."""
    return "abcdeghiklmnopqrstuv"[n] + LONG[: length - 1]


def slip(known: str) -> str:
    """`known` with its last letter changed: one slip away."""
    return known[:-1] + ("a" if known[-1] != "a" else "e")


def corrector(*known: str) -> Corrector:
    vocabulary = Vocabulary()
    vocabulary.add([" ".join(known)])
    return Corrector(vocabulary, lambda _: False)


@pytest.mark.parametrize(
    ("length", "repaired"),
    [
        (6, True),
        (LONGEST_WORD, True),
        (LONGEST_WORD + 1, False),  # longer than a real word: kept as typed
        (4_096, False),
    ],
)
def test_only_words_of_real_length_are_repaired(length: int, repaired: bool) -> None:
    known = word(length)
    typed = slip(known)
    assert corrector(known)([typed]) == [known if repaired else typed]


@pytest.mark.parametrize(
    ("slips", "repaired"),
    [(1, 1), (REPAIRS, REPAIRS), (REPAIRS + 1, REPAIRS), (200, REPAIRS)],
)
def test_at_most_repairs_words_are_repaired_per_question(slips: int, repaired: int) -> None:
    known = [word(8 + n // 20, n % 20) for n in range(slips)]
    # Known words between the slips cost no repair.
    typed = [w for k in known for w in (slip(k), "nghieng")]
    fixed = corrector("nghieng", *known)(typed)
    assert sum(f != t for f, t in zip(fixed, typed, strict=True)) == repaired
    assert fixed[: 2 * repaired : 2] == known[:repaired]


@pytest.mark.parametrize("length", [1, 3, 7, LONGEST_WORD])
def test_spellings_weighed_per_word_grow_with_its_length_only(length: int) -> None:
    # Deletions, transpositions, replacements, insertions over 22 letters: the
    # length cap bounds them (1,645 spellings for a 30-letter word).
    assert len(edits1(word(length))) <= 54 * length + 25 <= 54 * LONGEST_WORD + 25


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("lam so do " * 100, fold("lam so do " * 100).split()[:QUESTION_WORDS]),
        ("a" * 4_096, [fold("a" * QUESTION_CHARS)]),  # one junk word: read up to the cap
        (" ".join(["xin"] * QUESTION_WORDS + ["khai", "sinh"]), ["xin"] * QUESTION_WORDS),
        ("... " * 300 + "khai sinh", []),  # what lies past the characters read is not read
    ],
)
def test_only_the_start_of_a_long_text_is_read(text: str, terms: list[str]) -> None:
    matcher = Matcher(Lexicon())
    assert list(matcher.analyze(text).terms) == terms


@pytest.mark.parametrize("asked", [1, QUERY_TERMS, 40])
def test_at_most_query_terms_the_rarest_are_asked_of_the_index(asked: int) -> None:
    words = [word(8 + n // 20, n % 20) for n in range(asked)]
    vocabulary = Vocabulary()
    for n, known in enumerate(reversed(words)):  # the last word in 1 entry, the first in most
        for _ in range(n + 1):
            vocabulary.add([known])
    expression = match_expression(Analysis(tuple(words), tuple(words)), vocabulary)
    rarest = list(reversed(words))[:QUERY_TERMS]
    assert expression == " OR ".join(f'"{t}"' for t in rarest)
