"""The files the bot keeps: content-addressed bytes under the data folder, a channel's id only a cache.

A photo, voice note or document a person sends is downloaded by the channel
that received it and put here, so any channel can show it to any officer
(a Telegram officer sees a Zalo citizen's photo). Its name is its SHA-256:
the same bytes sent twice are kept once. Each channel may remember the id
it gave the file when it was last sent (Telegram's `file_id`), to send it
again without uploading; that id is only a cache, dropped and rebuilt from
the bytes when the channel refuses it.

References before this store held Telegram file ids. Such a legacy reference
is adopted on first use: the channel downloads it, puts the bytes here and
records which stored file it names (`legacy_files`), so old cases keep working.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from bot.core.clock import Clock, to_db
from bot.core.config import ConfigError
from bot.core.db import Database

PREFIX = "file:"  # a reference to a file the bot keeps: "file:<sha256>"
DEFAULT_MAX_MB = 20.0  # Telegram lets a bot download at most 20 MB
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


def file_ref(sha256: str) -> str:
    """The reference messages and records carry for a stored file."""
    return PREFIX + sha256


def sha256_of(ref: str) -> str | None:
    """The stored file a reference names; None for a path, a URL or a legacy channel id."""
    if ref.startswith(PREFIX) and _SHA256.match(ref[len(PREFIX) :]):
        return ref[len(PREFIX) :]
    return None


def is_legacy(ref: str) -> bool:
    """A reference from before the store: a channel's own file id (Telegram's then).

    Paths (`path:…` or on disk), URLs and stored files are not.
    """
    if sha256_of(ref) or ref.startswith("path:") or "://" in ref or not ref:
        return False
    return not Path(ref).is_file()


@dataclass(frozen=True)
class StoredFile:
    """One file the bot keeps."""

    sha256: str
    size: int
    mime: str
    filename: str | None

    @property
    def ref(self) -> str:
        return file_ref(self.sha256)


class FileTooLarge(Exception):
    """A file over the configured size; nothing was stored."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes is over the limit of {limit}")
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class FileSettings:
    """The `[files]` table of config.toml."""

    max_file_mb: float = DEFAULT_MAX_MB

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> FileSettings:
        unknown = sorted(set(section) - {"max_file_mb"})
        if unknown:
            raise ConfigError(f"[files] {unknown[0]}", "unknown setting")
        value = section.get("max_file_mb", DEFAULT_MAX_MB)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError("[files] max_file_mb", "must be a positive number")
        return cls(max_file_mb=float(value))


class FileStore:
    """Files under `root/<sha256[:2]>/<sha256>`, described in `stored_files`."""

    def __init__(self, db: Database, root: Path, clock: Clock, max_bytes: int) -> None:
        self.db = db
        self.root = root
        self.clock = clock
        self.max_bytes = max_bytes

    async def put(
        self, content: bytes | Path, mime: str | None = None, filename: str | None = None
    ) -> StoredFile:
        """Keep the bytes (or a file's) and describe them; the same bytes are kept once."""
        sha256, size = await asyncio.to_thread(self._write, content)
        mime = mime or (mimetypes.guess_type(filename)[0] if filename else None)
        await self.db.execute(
            "INSERT INTO stored_files (sha256, size, mime, filename, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            (sha256, size, mime or "application/octet-stream", filename, to_db(self.clock.now())),
        )
        found = await self.get(sha256)
        assert found is not None
        return found

    async def get(self, sha256: str) -> StoredFile | None:
        row = await self.db.fetchone(
            "SELECT sha256, size, mime, filename FROM stored_files WHERE sha256 = ?", (sha256,)
        )
        return None if row is None else StoredFile(*row)

    def path(self, sha256: str) -> Path:
        """Where the bytes are; the name is checked, so a crafted reference cannot escape."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    async def read(self, sha256: str) -> bytes:
        return await asyncio.to_thread(self.path(sha256).read_bytes)

    async def cache_ref(self, sha256: str, channel: str) -> str | None:
        """The id the channel gave this file when it last sent it, if any."""
        ref = await self.db.scalar(
            "SELECT channel_ref FROM file_cache WHERE sha256 = ? AND channel = ?",
            (sha256, channel),
        )
        return str(ref) if ref is not None else None

    async def remember(self, sha256: str, channel: str, ref: str) -> None:
        await self.db.execute(
            "INSERT INTO file_cache (sha256, channel, channel_ref) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256, channel) DO UPDATE SET channel_ref = excluded.channel_ref",
            (sha256, channel, ref),
        )

    async def forget(self, sha256: str, channel: str) -> None:
        """Drop a cached id the channel no longer accepts; the bytes are sent next time."""
        await self.db.execute(
            "DELETE FROM file_cache WHERE sha256 = ? AND channel = ?", (sha256, channel)
        )

    async def legacy(self, channel: str, ref: str) -> StoredFile | None:
        """The stored file a legacy channel id was adopted as, if it was."""
        sha256 = await self.db.scalar(
            "SELECT sha256 FROM legacy_files WHERE channel = ? AND channel_ref = ?", (channel, ref)
        )
        return None if sha256 is None else await self.get(str(sha256))

    async def adopt(self, channel: str, ref: str, stored: StoredFile) -> None:
        """Record that a legacy channel id names this stored file, and cache it for re-sending."""
        await self.db.execute(
            "INSERT INTO legacy_files (channel, channel_ref, sha256) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, channel_ref) DO NOTHING",
            (channel, ref, stored.sha256),
        )
        if await self.cache_ref(stored.sha256, channel) is None:
            await self.remember(stored.sha256, channel, ref)

    def _write(self, content: bytes | Path) -> tuple[str, int]:
        """Write atomically: a temporary file, fsync, rename, fsync the folder."""
        size = len(content) if isinstance(content, bytes) else content.stat().st_size
        if size > self.max_bytes:
            raise FileTooLarge(size, self.max_bytes)
        temp_dir = self.root / "tmp"
        temp_dir.mkdir(parents=True, exist_ok=True)
        temp = temp_dir / f"{secrets.token_hex(8)}.part"
        digest = hashlib.sha256()
        try:
            with temp.open("wb") as out:
                for chunk in _chunks(content):
                    digest.update(chunk)
                    out.write(chunk)
                size = out.tell()  # a file on disk may have changed since stat
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self.path(sha256)
            if final.exists():  # the same bytes are already kept
                return sha256, size
            final.parent.mkdir(exist_ok=True)
            os.replace(temp, final)
            _fsync_dir(final.parent)
            return sha256, size
        finally:
            temp.unlink(missing_ok=True)


def _chunks(content: bytes | Path) -> Iterator[bytes]:
    if isinstance(content, bytes):
        yield content
        return
    with content.open("rb") as source:
        while chunk := source.read(_CHUNK):
            yield chunk


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable, so a power cut cannot lose a file the database names."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
