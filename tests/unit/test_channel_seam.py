"""The channel seam of ARCHITECTURE.md, read from the code: edits in one place, no assumed Telegram."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from bot.core.paths import ROOT

# The one module that may change a sent message: it knows when the channel cannot.
EDITOR = "handlers/telegram/replies.py"
EDITS = {
    "edit_message_text",
    "edit_message_reply_markup",
    "edit_message_caption",
    "edit_message_media",
    "edit_message_live_location",
    "edit_text",
    "edit_caption",
    "edit_reply_markup",
    "edit_media",
    "edit_live_location",
}


@functools.cache  # both tests read every file: parsed once
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


def test_only_the_reply_helpers_edit_messages() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} .{attr}"
        for path in code()
        if path.relative_to(ROOT).as_posix() != EDITOR
        for line, _owner, attr in attributes(path)
        if attr in EDITS
    ]
    assert offenders == [], "route these through handlers/telegram/replies.py"


def test_no_code_assumes_a_person_is_on_telegram() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in code()
        for line, owner, attr in attributes(path)
        if (owner, attr) == ("Recipient", "telegram")
    ]
    assert offenders == [], "take the channel from the application: recipient_of(update, context)"
