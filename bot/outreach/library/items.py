"""The content library: Markdown files with front matter, checked and synced into SQLite."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.config import Settings, nfc
from bot.core.paths import CONTENT_DIR
from bot.core.sanitize import clean_line
from bot.outreach.library.frontmatter import Document, FrontMatterError, Value, parse

log = logging.getLogger(__name__)
LIBRARY_DIR = CONTENT_DIR / "library"
KINDS = ("model_story", "good_deed", "policy", "reform", "announcement")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_REQUIRED = ("id", "kind", "title", "date")
_OPTIONAL = ("topics", "villages", "image", "sample", "summary")


@dataclass(frozen=True)
class LibraryItem:
    """One story, explainer or announcement, as citizens read it."""

    id: str
    kind: str
    title: str
    body: str  # Markdown
    published_on: date
    topics: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()  # empty: for every village
    image: Path | None = None
    sample: bool = False
    summary: str = ""
    source: str = ""
    checksum: str = ""


@dataclass(frozen=True)
class LibraryProblem:
    """A file that was skipped, and why, with the line to look at."""

    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}"


@dataclass
class SyncReport:
    """What a sync changed, and which files it skipped."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[LibraryProblem] = field(default_factory=list)


def load_folder(folder: Path, settings: Settings) -> tuple[list[LibraryItem], list[LibraryProblem]]:
    """Every valid item of the folder, and a problem for each file that is not."""
    items: list[LibraryItem] = []
    problems: list[LibraryProblem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.upper() == "README.MD":  # the folder's own guide, not an item
            continue
        try:
            item = parse_item(path, settings)
        except FrontMatterError as exc:
            problems.append(LibraryProblem(path.name, exc.line, exc.problem))
            continue
        if item.id in seen:
            problems.append(LibraryProblem(path.name, 2, f"id {item.id!r} is also {seen[item.id]}"))
            continue
        seen[item.id] = path.name
        items.append(item)
    return items, problems


def parse_item(path: Path, settings: Settings) -> LibraryItem:
    """Read and check one file; raise FrontMatterError naming the line at fault."""
    try:
        text = nfc(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FrontMatterError(1, f"cannot read the file: {exc}") from None
    doc = parse(text)
    for key in _REQUIRED:
        if key not in doc.fields:
            raise FrontMatterError(1, f"{key!r} is missing from the front matter")
    unknown = sorted(set(doc.fields) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise FrontMatterError(doc.lines[unknown[0]], f"unknown key {unknown[0]!r}")
    if not doc.body:
        raise FrontMatterError(doc.body_line, "the body below the front matter is empty")
    return LibraryItem(
        id=_match(doc, "id", _ID, "lowercase letters, digits and -, at most 40"),
        kind=_one_of(doc, "kind", KINDS),
        title=clean_line(_text(doc, "title")),
        body=doc.body,
        published_on=_date(doc),
        topics=_known(doc, "topics", {t.id for t in settings.topics}),
        villages=_known(doc, "villages", {v.id for v in settings.villages}),
        image=_image(doc, path.parent),
        sample=_flag(doc, "sample"),
        summary=_text(doc, "summary") if "summary" in doc.fields else "",
        source=path.name,
        checksum=hashlib.sha256(text.encode()).hexdigest(),
    )


def _text(doc: Document, key: str) -> str:
    value = doc.fields[key]
    if not isinstance(value, str) or not value.strip():
        raise FrontMatterError(doc.lines[key], f"{key!r} must be non-empty text")
    return value.strip()


def _match(doc: Document, key: str, pattern: re.Pattern[str], rule: str) -> str:
    value = _text(doc, key)
    if not pattern.match(value):
        raise FrontMatterError(doc.lines[key], f"{key} {value!r}: {rule}")
    return value


def _one_of(doc: Document, key: str, allowed: tuple[str, ...]) -> str:
    value = _text(doc, key)
    if value not in allowed:
        raise FrontMatterError(doc.lines[key], f"{key} {value!r}: one of {', '.join(allowed)}")
    return value


def _date(doc: Document) -> date:
    value = _text(doc, "date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FrontMatterError(doc.lines["date"], f"date {value!r}: write YYYY-MM-DD") from None


def _known(doc: Document, key: str, known: set[str]) -> tuple[str, ...]:
    value: Value = doc.fields.get(key, ())
    values = (value,) if isinstance(value, str) else value
    if isinstance(values, bool):
        raise FrontMatterError(doc.lines[key], f"{key!r} must be a list such as [a, b]")
    for entry in values:
        if entry not in known:
            choices = ", ".join(sorted(known))
            raise FrontMatterError(
                doc.lines[key], f"unknown {key[:-1]} {entry!r}; known: {choices}"
            )
    return tuple(values)


def _image(doc: Document, folder: Path) -> Path | None:
    if "image" not in doc.fields:
        return None
    name = _text(doc, "image")
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        raise FrontMatterError(doc.lines["image"], f"image {name!r} is not a file beside the item")
    return path


def _flag(doc: Document, key: str) -> bool:
    value = doc.fields.get(key, False)
    if not isinstance(value, bool):
        raise FrontMatterError(doc.lines[key], f"{key!r} must be true or false")
    return value
