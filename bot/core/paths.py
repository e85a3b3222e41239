"""Where the data shipped with the bot lives."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT_DIR = ROOT / "content"
LOCALE_DIR = CONTENT_DIR / "locale"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
