"""The import rules of ARCHITECTURE.md, read from every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.core.paths import ROOT

# The one composition root under bot/: `python -m bot run` starts the channels,
# `python -m bot check` asks the channel whether it can work, and a command
# that sends by itself (`broadcast`) is handed the sender's channels.
COMPOSITION_ROOTS = {
    "bot/cli/main.py": {
        "handlers.telegram.launcher",
        "handlers.telegram.preflight",
        "handlers.telegram.channel",
        "handlers.zalo_oa.admin",
        "handlers.zalo_bot.ids",
    }
}
# Imports that break a rule today and are being removed; empty it, never grow it.
NOT_YET: set[str] = set()


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


def forbidden(relative: str, imported: str) -> bool:
    """Whether `relative` (a file under the root) may not import `imported`."""
    first = top(imported)
    if relative.startswith("sandbox/"):
        return first in {"bot", "handlers", "scheduler", "telegram"}
    if relative.startswith("bot/"):
        if imported in COMPOSITION_ROOTS.get(relative, set()):
            return False
        if relative.startswith("bot/core/") and first == "bot":
            return not imported.startswith("bot.core")
        return first in {"telegram", "handlers", "scheduler", "sandbox"}
    if relative.startswith("scheduler/"):
        return first in {"handlers", "sandbox"}
    if relative.startswith("handlers/"):
        return first == "scheduler" and relative != "handlers/telegram/app.py"
    return False


@pytest.mark.parametrize("folder", ["bot", "scheduler", "handlers", "sandbox"])
def test_every_module_keeps_to_its_layer(folder: str) -> None:
    broken = [
        f"{path.relative_to(ROOT).as_posix()} imports {name}"
        for path in modules(folder)
        for name in sorted(imports(path))
        if forbidden(path.relative_to(ROOT).as_posix(), name)
        and path.relative_to(ROOT).as_posix() not in NOT_YET
    ]
    assert broken == []


def test_the_not_yet_list_only_names_modules_that_still_break_a_rule() -> None:
    still = {
        relative
        for relative in NOT_YET
        if any(forbidden(relative, name) for name in imports(ROOT / relative))
    }
    assert still == NOT_YET


@pytest.mark.parametrize(
    ("relative", "imported", "refused"),
    [
        ("bot/cases/service.py", "telegram", True),
        ("bot/cases/service.py", "telegram.ext", True),
        ("bot/cases/service.py", "handlers.telegram.common", True),
        ("bot/cases/service.py", "bot.people.officers", False),
        ("bot/core/db.py", "bot.cases.model", True),
        ("bot/core/i18n.py", "bot.core.config", False),
        ("bot/cli/main.py", "handlers.telegram.launcher", False),
        ("bot/cli/report.py", "handlers.telegram.launcher", True),
        ("scheduler/jobs.py", "handlers.telegram.app", True),
        ("scheduler/jobs.py", "telegram.ext", False),
        ("handlers/cases/intake.py", "scheduler.duties", True),
        ("handlers/telegram/app.py", "scheduler.duties", False),
        ("sandbox/server.py", "bot.core.config", True),
    ],
)
def test_the_rules_refuse_what_the_table_says(relative: str, imported: str, refused: bool) -> None:
    assert forbidden(relative, imported) is refused
