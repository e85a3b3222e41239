"""Extract texts from the code and update the catalogs (`make i18n`).

Each feature package gets its own catalog file (domain), named after it:
`handlers/cases/intake.py` and `bot/cases/service.py` both go to `cases.po`.
Separate files keep features from editing the same catalog at once.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.core.config import LANGUAGES
from bot.core.paths import LOCALE_DIR, ROOT

SOURCE_FOLDERS = ("bot", "handlers", "scheduler")
# The sandbox is a developer's tool, not part of what citizens see.
EXCLUDED = ("bot/core/i18n_tool.py",)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[:!][^}]*)?\}")

Extracted = dict[str, dict[str | tuple[str, str], list[tuple[str, int]]]]


def domain_of(relative: Path) -> str:
    """The catalog a source file's texts go to: its feature's name."""
    parts = relative.with_suffix("").parts
    return parts[1] if len(parts) > 1 and parts[1] != "__init__" else parts[0]


def extract(root: Path = ROOT) -> Extracted:
    """domain -> message id (or (singular, plural)) -> where it is used."""
    found: Extracted = defaultdict(lambda: defaultdict(list))
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if relative.as_posix().startswith(EXCLUDED):
                continue
            for line, message, _comments, _context in extract_from_file(
                "python", path, keywords=KEYWORDS
            ):
                key: str | tuple[str, str] = (
                    message if isinstance(message, str) else (message[0], message[1])
                )
                found[domain_of(relative)][key].append((relative.as_posix(), line))
    return found


def update(root: Path = ROOT, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Bring every catalog in line with the code; return what still lacks a translation."""
    template_by_domain = extract(root)
    for language in LANGUAGES:
        folder = locale_dir / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        for stale in set(p.stem for p in folder.glob("*.po")) - set(template_by_domain):
            (folder / f"{stale}.po").unlink()
        for domain, messages in template_by_domain.items():
            _update_one(folder / f"{domain}.po", language, domain, messages)
    return missing(root, locale_dir)


def _update_one(
    path: Path,
    language: str,
    domain: str,
    messages: dict[str | tuple[str, str], list[tuple[str, int]]],
) -> None:
    template = Catalog(domain=domain, project="danvan-bot")
    for message_id, locations in messages.items():
        template.add(message_id, locations=locations)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=domain)
    else:
        catalog = Catalog(locale=language, domain=domain, project="danvan-bot")
    # Keep the header's dates as they were: a date that changes on every run
    # makes every catalog differ between branches for no reason.
    template.creation_date = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    if language == "en":
        # English is the language of the message ids: they are the translation.
        for message in catalog:
            if message.id and not message.string:
                message.string = message.id if isinstance(message.id, str) else message.id[:2]
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)


def missing(root: Path = ROOT, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Texts in the code without a usable translation, as readable lines."""
    problems: list[str] = []
    for language in LANGUAGES:
        for domain, messages in extract(root).items():
            path = locale_dir / language / "LC_MESSAGES" / f"{domain}.po"
            translations = _translations(path, language)
            for message_id, locations in messages.items():
                problem = _check(message_id, translations.get(_key(message_id)))
                if problem:
                    where = f"{locations[0][0]}:{locations[0][1]}"
                    problems.append(
                        f"{language}/{domain}.po: {problem} {_key(message_id)!r} ({where})"
                    )
    return problems


def inconsistent(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Texts translated differently in two catalogs of one language.

    All catalogs of a language are merged at run time, so one of the two
    translations would silently win: a text that means two things needs two
    message ids.
    """
    problems: list[str] = []
    for language in LANGUAGES:
        seen: dict[str, tuple[str, list[str]]] = {}
        for path in sorted((locale_dir / language / "LC_MESSAGES").glob("*.po")):
            for key, strings in _translations(path, language).items():
                first = seen.setdefault(key, (path.stem, strings))
                if first[1] != strings:
                    problems.append(
                        f"{language}: {key!r} is {first[1]!r} in {first[0]}.po"
                        f" but {strings!r} in {path.stem}.po"
                    )
    return problems


def _key(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _translations(path: Path, language: str) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    result: dict[str, list[str]] = {}
    for message in catalog:
        if message.id and not message.fuzzy:
            strings = [message.string] if isinstance(message.string, str) else message.string
            result[_key(message.id)] = [s or "" for s in strings or ()]
    return result


def _check(message_id: str | tuple[str, str], strings: list[str] | None) -> str | None:
    if not strings or not all(s.strip() for s in strings):
        return "untranslated"
    expected = set(_PLACEHOLDER.findall(_key(message_id)))
    if any(set(_PLACEHOLDER.findall(s)) != expected for s in strings):
        return "placeholders differ in"
    return None


def main() -> int:
    problems = update() + inconsistent()
    for line in problems:
        print(line, file=sys.stderr)
    print(f"catalogs updated; {len(problems)} text(s) still need a translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
