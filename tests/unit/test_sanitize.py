"""Invisible and direction-changing characters are dropped from what enters the bot."""

import pytest

from bot.core.sanitize import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("\u202eNguyễn\u202c Văn An", "Nguyễn Văn An"),  # right-to-left override, pop
        ("\u202a\u202b\u202d" + "An", "An"),  # embeddings and left-to-right override
        ("\u2066\u2067\u2068An\u2069", "An"),  # isolates
        ("\u200eAn\u200f\u061c", "An"),  # direction marks
        ("N\u200bg\u200cu\u200dy\ufeffễ\u2060n", "Nguyễn"),  # zero-width characters
        ("An\x00\x07\x1b[31m\x7f\x85", "An[31m"),  # C0, DEL and C1 controls
        ("Lê\nThị\tHoa\r", "Lê Thị Hoa"),  # one line: breaks become a space
        ("  Lê   Hoa  ", "Lê Hoa"),
        ("0912\u200b345\u202e678", "0912345678"),
        ("\u202e\u200b", ""),
        ("Trần <b> & Co", "Trần <b> & Co"),  # visible characters stay: escaping is markup's job
    ],
)
def test_a_line_keeps_only_what_can_be_seen(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("dòng một\ndòng hai\tcột", "dòng một\ndòng hai\tcột"),
        ("a\u202eb\u200bc\x00d\re", "abcde"),
    ],
)
def test_a_text_keeps_its_lines(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
