"""Read the FAQ shipped in `content/faq/*.toml`: one file per topic, one `[[entry]]` per question."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.config import ConfigError
from bot.core.content_cache import parsed
from bot.core.paths import CONTENT_DIR
from bot.faq.repository import EntryDraft

FAQ_DIR = CONTENT_DIR / "faq"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_SETTING = "[faq] content"


@dataclass(frozen=True)
class ShippedEntry:
    """An entry from a content file and a hash of its text, to see when the file changes."""

    draft: EntryDraft
    content_hash: str


def load_content(folder: Path = FAQ_DIR) -> list[ShippedEntry]:
    """Every entry of every `*.toml` file in `folder` except the word list."""
    files = [p for p in folder.glob("*.toml") if p.name != "synonyms.toml"]
    return list(parsed("faq-content", files, lambda: tuple(_load_content(folder))))


def _load_content(folder: Path) -> list[ShippedEntry]:
    entries: list[ShippedEntry] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        if path.name == "synonyms.toml":
            continue
        for entry in _read(path):
            slug = entry.draft.slug or ""
            if slug in seen:
                raise ConfigError(_SETTING, f"{path.name}: id {slug!r} also in {seen[slug]}")
            seen[slug] = path.name
            entries.append(entry)
    return entries


def _read(path: Path) -> list[ShippedEntry]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_SETTING, f"{path.name} is not valid TOML: {exc}") from None
    topic = str(data.get("topic", ""))
    raw = data.get("entry", [])
    if not isinstance(raw, list):
        raise ConfigError(_SETTING, f"{path.name}: entries are [[entry]] tables")
    return [_entry(path.name, number, item, topic) for number, item in enumerate(raw, 1)]


def _entry(name: str, number: int, item: Any, topic: str) -> ShippedEntry:
    where = f"{name}: entry {number}"
    if not isinstance(item, dict):
        raise ConfigError(_SETTING, f"{where} is not a table")
    slug = str(item.get("id", ""))
    if not _SLUG.match(slug):
        raise ConfigError(_SETTING, f"{where}: id {slug!r} must be lowercase letters, digits, -")
    for key in ("question", "answer"):
        if not str(item.get(key, "")).strip():
            raise ConfigError(_SETTING, f"{where} ({slug}) lacks {key!r}")
    for key in ("alternatives", "keywords"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(_SETTING, f"{where} ({slug}): {key} must be a list of texts")
    draft = EntryDraft(
        question=str(item["question"]),
        answer=str(item["answer"]),
        alternatives=tuple(item.get("alternatives", [])),
        keywords=tuple(item.get("keywords", [])),
        topic=str(item.get("topic", topic)),
        source=str(item.get("source", "")),
        slug=slug,
        reviewed=bool(item.get("reviewed", False)),
    ).normalized()
    digest = hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode()).hexdigest()
    return ShippedEntry(draft, f"{topic}:{digest[:24]}")
