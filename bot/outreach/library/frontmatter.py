"""A small front-matter reader: `---`, `key: value` lines, `---`, then the Markdown body.

Values are plain text, "quoted text", `[a, b]` lists or true/false. That is all
the content library needs, and a parser this small reports the exact line of
a mistake in words an officer editing a file can act on, which a full YAML
library would not (and it would add a dependency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Value = str | bool | tuple[str, ...]
_KEY = re.compile(r"^([a-z_][a-z0-9_]*)\s*:\s*(.*)$")


class FrontMatterError(ValueError):
    """A mistake in a file, with the 1-based line it is on."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class Document:
    """The parsed file: its fields, the line each was on, and the body below."""

    fields: dict[str, Value]
    lines: dict[str, int]
    body: str
    body_line: int


def parse(text: str) -> Document:
    """Split `text` into front matter and body; raise FrontMatterError on a mistake."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(1, "the file must start with a line '---' (front matter)")
    fields: dict[str, Value] = {}
    where: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if stripped == "---":
            body = "\n".join(lines[number:]).strip()
            return Document(fields, where, body, number + 1)
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(stripped)
        if match is None:
            raise FrontMatterError(number, f"expected 'key: value', got {stripped[:40]!r}")
        key, raw = match.groups()
        if key in fields:
            raise FrontMatterError(number, f"{key!r} is given twice")
        fields[key] = _value(raw.strip(), number)
        where[key] = number
    raise FrontMatterError(len(lines), "the front matter is not closed by a line '---'")


def _value(raw: str, line: int) -> Value:
    if raw in ("true", "false"):
        return raw == "true"
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise FrontMatterError(line, "a list must end with ']'")
        return tuple(_unquote(p.strip(), line) for p in raw[1:-1].split(",") if p.strip())
    return _unquote(raw, line)


def _unquote(raw: str, line: int) -> str:
    if raw[:1] in ("'", '"'):
        if len(raw) < 2 or raw[-1] != raw[0]:
            raise FrontMatterError(line, f"unclosed quote in {raw[:40]!r}")
        return raw[1:-1]
    return raw
