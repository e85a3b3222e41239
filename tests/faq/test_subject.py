"""A suggestion must share the question's subject, not just its syllables (`bot.faq.index`)."""

from __future__ import annotations

import pytest

from bot.faq.index import entry_subjects, shares_subject, subject_pairs
from bot.faq.synonyms import Analysis


def analysis(*sequence: str) -> Analysis:
    return Analysis(tuple(sequence), tuple(dict.fromkeys(sequence)), tuple(sequence))


@pytest.mark.parametrize(
    ("question", "entry", "named", "shared"),
    [
        # "họp dân" against an entry on contracts that has "hợp" and "dân" apart.
        (("hop", "dan"), [("chung", "thuc", "hop", "dong"), ("nguoi", "dan")], set(), False),
        (("hop", "dan"), [("lich", "hop", "dan", "thon")], set(), True),
        (("dan", "hop"), [("hop", "dan")], set(), True),  # either order
        (("cancuoc",), [("giay", "khai", "sinh")], set(), True),  # one concept: its own subject
        # "đăng ký tạm chú": the word list names "tạm trú", a subject by itself...
        (("dang", "ki", "tamtru"), [("di", "thue", "tamtru")], {"tamtru"}, True),
        # ...but "lệ phí", named in most entries, is not one.
        (("thu", "lephi", "sinh"), [("khaisinh", "lephi")], set(), False),
    ],
)
def test_shares_subject(
    question: tuple[str, ...], entry: list[tuple[str, ...]], named: set[str], shared: bool
) -> None:
    asked = analysis(*question)
    pairs = set().union(*(entry_subjects(p) for p in entry))
    assert shares_subject(asked, subject_pairs(asked.sequence), pairs, named) is shared


def test_a_repeated_concept_makes_no_pair() -> None:
    assert subject_pairs(("tamtru", "tamtru", "nha")) == {frozenset(("tamtru", "nha"))}
