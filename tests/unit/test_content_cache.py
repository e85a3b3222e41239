"""Content files are parsed once while unchanged, and again as soon as one changes."""

from __future__ import annotations

import os
from pathlib import Path

from bot.core.content_cache import parsed


def test_an_unchanged_file_is_parsed_once_and_a_changed_one_again(tmp_path: Path) -> None:
    path = tmp_path / "faq.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    reads: list[str] = []

    def parse() -> str:
        reads.append(path.read_text(encoding="utf-8"))
        return reads[-1]

    assert parsed("test", [path], parse) == "a = 1\n"
    assert parsed("test", [path], parse) == "a = 1\n"
    assert len(reads) == 1
    path.write_text("a = 22\n", encoding="utf-8")  # another size
    assert parsed("test", [path], parse) == "a = 22\n"
    stat = path.stat()
    path.write_text("a = 33\n", encoding="utf-8")  # same size, another time
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert parsed("test", [path], parse) == "a = 33\n"
    assert len(reads) == 3


def test_a_missing_file_is_left_to_the_reader_to_report(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    calls: list[int] = []

    def parse() -> int:
        calls.append(1)
        return len(calls)

    assert parsed("test-missing", [missing], parse) == 1
    assert parsed("test-missing", [missing], parse) == 2  # never kept
