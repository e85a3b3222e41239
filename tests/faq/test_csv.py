"""CSV as officers keep it in Excel: BOM or not, commas or semicolons, bad rows by line."""

from pathlib import Path

import pytest

from bot.faq.csv_io import CsvFileError, parse_csv, read_csv, write_csv
from bot.faq.repository import FaqEntry


def test_good_and_bad_rows_are_told_apart_by_line_number() -> None:
    text = (
        "question,answer,keywords,topic\n"
        'Làm sổ đỏ ở đâu?,"Tại Bộ phận Một cửa.\nMang căn cước.","sổ đỏ, đất",Đất đai\n'
        ",Câu trả lời mà không có câu hỏi,,\n"
        "Câu hỏi không có trả lời,,,\n"
        "lam so do o dau?,Trùng câu hỏi dòng 2,,\n"
        "\n"
        "Giờ làm việc?,Sáng 7h30,,Chung,extra\n"
        "Giờ làm việc của xã?,Sáng 7 giờ 30,,Chung\n"
    )
    parsed = parse_csv(text)
    assert [d.question for d in parsed.drafts] == ["Làm sổ đỏ ở đâu?", "Giờ làm việc của xã?"]
    assert parsed.drafts[0].keywords == ("sổ đỏ", "đất")
    assert parsed.drafts[0].answer == "Tại Bộ phận Một cửa.\nMang căn cước."
    assert [(p.line, p.problem) for p in parsed.problems] == [
        (4, "the question is empty"),
        (5, "the answer is empty"),
        (6, "same question as line 2"),
        (8, "5 cells but the header has 4 columns"),
    ]


def test_excel_in_vietnamese_writes_semicolons_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_bytes("\ufeffQuestion;Answer\nKhai sinh ở đâu?;Tại UBND xã\n".encode())
    parsed = read_csv(path)
    assert parsed.problems == [] and parsed.drafts[0].question == "Khai sinh ở đâu?"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("question,answer\nĐi đâu?,Tới xã\n".encode("utf-16"), "not UTF-8"),
        (b"cau hoi,tra loi\nx,y\n", "the header needs question, answer"),
        (b"question,answer,colour\nx,y,z\n", "unknown column 'colour'"),
    ],
)
def test_unreadable_files_are_refused_whole(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "faq.csv"
    path.write_bytes(content)
    with pytest.raises(CsvFileError, match=problem):
        read_csv(path)


def test_export_reads_back_the_same(tmp_path: Path) -> None:
    entry = FaqEntry(
        1,
        "Hỏi, có dấu phẩy?",
        'Đáp "trích dẫn"\nhai dòng',
        ("cách hỏi khác",),
        ("a", "b"),
        "Chủ đề",
        "Luật",
        None,
        "import",
        False,
    )
    path = tmp_path / "out.csv"
    assert write_csv(path, [entry]) == 1
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    (draft,) = read_csv(path).drafts
    assert (draft.question, draft.answer, draft.keywords, draft.alternatives, draft.topic) == (
        entry.question,
        entry.answer,
        entry.keywords,
        entry.alternatives,
        entry.topic,
    )
