"""The FAQ as the CSV officers keep in Excel: read with line-numbered problems, write back.

Columns: `question,answer` and optionally `keywords,topic,alternatives,source`
(keywords separated by commas, alternative phrasings by semicolons or line
breaks). UTF-8 with or without BOM; Excel set to Vietnamese writes `;`
between columns, which is recognised too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.faq.normalize import fold
from bot.faq.repository import EntryDraft, FaqEntry

REQUIRED = ("question", "answer")
OPTIONAL = ("keywords", "topic", "alternatives", "source")
COLUMNS = REQUIRED + OPTIONAL
MAX_QUESTION = 500
MAX_ANSWER = 4000  # a Telegram message holds 4096 characters


class CsvFileError(Exception):
    """The file as a whole cannot be read: nothing is imported."""


@dataclass(frozen=True)
class RowProblem:
    """A row skipped, with the line it starts on in the file."""

    line: int
    problem: str


@dataclass
class ParsedCsv:
    """Good rows as drafts, and what was wrong with the others."""

    drafts: list[EntryDraft] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def read_csv(path: Path) -> ParsedCsv:
    """Parse `path`; raise CsvFileError if it is not a readable UTF-8 CSV with a header."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"{path} is not UTF-8 (byte {exc.start}); in Excel use Save As > CSV UTF-8"
        ) from None
    return parse_csv(text)


def parse_csv(text: str) -> ParsedCsv:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CsvFileError(f"line 1: the header needs {', '.join(missing)} (got {header})")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise CsvFileError(f"line 1: unknown column {unknown[0]!r}; known: {', '.join(COLUMNS)}")
    result = ParsedCsv()
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        draft, problem = _draft(dict(zip(header, row, strict=False)), len(row), len(header))
        if draft is not None:
            key = fold(draft.question)
            if key in seen:
                problem = f"same question as line {seen[key]}"
            else:
                seen[key] = start
                result.drafts.append(draft)
                continue
        result.problems.append(RowProblem(start, problem or "unreadable row"))
    return result


def _draft(cells: dict[str, str], width: int, expected: int) -> tuple[EntryDraft | None, str]:
    if width > expected:
        return None, f"{width} cells but the header has {expected} columns"
    question, answer = cells.get("question", "").strip(), cells.get("answer", "").strip()
    if not question:
        return None, "the question is empty"
    if not answer:
        return None, "the answer is empty"
    if not fold(question):
        return None, "the question has no letters or digits"
    if len(question) > MAX_QUESTION:
        return None, f"the question is longer than {MAX_QUESTION} characters"
    if len(answer) > MAX_ANSWER:
        return None, f"the answer is longer than {MAX_ANSWER} characters"
    alternatives = cells.get("alternatives", "").replace("\n", ";").split(";")
    draft = EntryDraft(
        question=question,
        answer=answer,
        alternatives=tuple(a for a in alternatives if a.strip()),
        keywords=tuple(k for k in cells.get("keywords", "").split(",") if k.strip()),
        topic=cells.get("topic", ""),
        source=cells.get("source", ""),
    )
    return draft.normalized(), ""


def write_csv(path: Path, entries: Iterable[FaqEntry]) -> int:
    """Write every entry, with a BOM so that Excel shows Vietnamese correctly; return the count."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for e in entries:
        writer.writerow(
            [
                e.question,
                e.answer,
                ", ".join(e.keywords),
                e.topic,
                "; ".join(e.alternatives),
                e.source,
            ]
        )
        count += 1
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return count
