"""Folding: every way citizens type a word gives the same terms."""

import unicodedata

import pytest

from bot.faq.normalize import fold, fold_word
from bot.faq.synonyms import Lexicon


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Làm SỔ ĐỎ ở đâu?", "lam so do o dau"),
        ("lam so do o dau", "lam so do o dau"),
        (unicodedata.normalize("NFD", "Đăng ký khai sinh"), "dang ki khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN!!!", "dang ki ket hon"),
        ("Ðăng ký", "dang ki"),  # Icelandic Eth for Đ, from some keyboards
        ("lamf sor ddor owr ddaau", "lam so do o dau"),  # Telex, tones after the word
        ("ddaast", "dat"),  # Telex, tone before the final consonant
        ("nguwowif", "nguoi"),
        ("huwu tris", "huu tri"),
        ("la2m so73 d9o3", "lam so do"),  # VNI
        ("đăng kí", "dang ki"),
        ("đăng ký", "dang ki"),
        ("Quý", "qui"),
        ("thuỷ / thủy", "thuy thuy"),
        ("CMND, CCCD...", "cmnd cccd"),
        ("bằng B1, covid 2024", "bang b1 covid 2024"),
        ("la2m0 2la", "la2m0 2la"),  # not VNI: a 0, or a digit first
        ("", ""),
        ("?!… 🙂", ""),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("word", "kept"),
    [("xoong", "xong"), ("j", "j"), ("cmnd", "cmnd"), ("bhxh", "bhxh"), ("hs", "hs"), ("b1", "b1")],
)
def test_words_that_look_like_telex_but_are_not(word: str, kept: str) -> None:
    assert fold_word(word) == kept


def test_lexicon_applies_variants_synonyms_and_filler_alike() -> None:
    lexicon = Lexicon.build(
        {"sanh": "sinh", "ko": "không"},
        [["căn cước", "cmnd", "chứng minh nhân dân"], ["ruộng", "đất nông nghiệp"]],
        ["cho hỏi", "không", "ở đâu"],
    )
    citizen = lexicon.analyze("Cho hỏi làm CMND ở đâu ko")
    officer = lexicon.analyze("Làm căn cước")
    assert citizen.terms == ("lam", "cmnd", "cancuoc")
    assert officer.terms == ("lam", "can", "cuoc", "cancuoc")
    assert citizen.concepts == officer.concepts == ("lam", "cancuoc")
    assert lexicon.analyze("chuyển đất nông nghiệp").concepts == ("chuyen", "ruong")
    assert lexicon.analyze("khai sanh").terms == ("khai", "sinh")
