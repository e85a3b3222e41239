"""The channel seam of ARCHITECTURE.md, read from the code: no person assumed on Telegram."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.core.paths import ROOT


def attributes(path: Path) -> list[tuple[int, str, str]]:
    """(line, object, attribute) of every `x.attr` in a file; object is '' unless a name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            found.append((node.lineno, owner, node.attr))
    return found


def code() -> list[Path]:
    return sorted(
        p for folder in ("bot", "handlers", "scheduler") for p in (ROOT / folder).rglob("*.py")
    )


def test_no_code_assumes_a_person_is_on_telegram() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in code()
        for line, owner, attr in attributes(path)
        if (owner, attr) == ("Recipient", "telegram")
    ]
    assert offenders == [], "take the channel from the application: recipient_of(update, context)"
