"""The one SQLite connection: WAL, foreign keys, numbered migrations, backups."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.core.paths import MIGRATIONS_DIR

log = logging.getLogger(__name__)
_MIGRATION_RE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Params = Sequence[Any] | dict[str, Any]


class MigrationError(Exception):
    """The database cannot be brought to the schema this code expects."""


class Database:
    """A single aiosqlite connection shared by the whole bot.

    One connection serves every coroutine, so statements of two coroutines
    would otherwise interleave inside each other's transactions: a lock makes
    each `transaction()` and each single statement run alone.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, path: Path, migrations: Path = MIGRATIONS_DIR) -> Database:
        """Open (creating if needed) the database at `path` and migrate it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode = WAL",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 5000",
            # FULL: a committed case or delivery survives a power cut, not
            # only a crash of the process.
            "PRAGMA synchronous = FULL",
            # Freed space is zeroed, so an erased name or phone does not stay
            # readable in the file's free pages (Decree 13/2023: erasure).
            "PRAGMA secure_delete = ON",
        ):
            await conn.execute(pragma)
        db = cls(conn, path)
        try:
            await db._migrate(migrations)
        except BaseException:
            await conn.close()
            raise
        return db

    async def purge_wal(self) -> None:
        """Move the WAL into the database file and empty it, after personal data was erased.

        The WAL keeps every page as it was written, erased values included,
        until a checkpoint copies the pages back and TRUNCATE cuts the file to
        nothing. Another process reading the database (a backup, the CLI) can
        keep the checkpoint from finishing: the values then go at the next one.
        """
        async with self._lock:
            cursor = await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = await cursor.fetchone()
        if row is not None and row[0]:
            log.warning("the WAL could not be emptied after an erasure: a reader holds it")

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def _migrate(self, folder: Path) -> None:
        files = _migration_files(folder)
        current = await self.scalar("PRAGMA user_version")
        latest = max(files, default=0)
        if current > latest:
            raise MigrationError(
                f"database schema {current} is newer than this bot knows ({latest})"
            )
        for number, (name, script) in sorted(files.items()):
            if number <= current:
                continue
            log.info("applying migration %s", name)
            try:
                await self._conn.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                await self._conn.execute("ROLLBACK")
                raise MigrationError(f"{name}: {exc}") from exc

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Run statements atomically: all commit together or none do."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._conn)
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction; return the last row id."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One trip to SQLite's thread, not two (execute, then fetch): every
        # update reads a few rows, and each trip is a thread hand-over.
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock:
            cursor = await self._conn.execute(sql, params)
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row: a count, an EXISTS, a keyed lookup.

        One trip, as `fetchall` (a cursor's execute, then fetchone, is two):
        every update asks two of these (its language, whether the outbox holds
        something for it), and each trip costs ~60 µs of the event loop's CPU
        and as much of SQLite's thread. Never for a query of many rows.
        """
        rows = await self.fetchall(sql, params)
        return rows[0][0] if rows else None


def _migration_files(folder: Path) -> dict[int, tuple[str, str]]:
    """Read `NNNN_name.sql` files: number -> (file name, SQL)."""
    found: dict[int, tuple[str, str]] = {}
    for path in folder.glob("*.sql"):
        match = _MIGRATION_RE.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration names look like 0001_name.sql")
        number = int(match.group(1))
        if number in found:
            raise MigrationError(f"{path.name}: number {number} is used twice")
        found[number] = (path.name, path.read_text(encoding="utf-8"))
    return found


class Transaction:
    """Statements inside `Database.transaction()`."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._conn = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, params)
        return cursor.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self._conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        cursor = await self._conn.execute(sql, params)
        row: sqlite3.Row | None = await cursor.fetchone()
        return row


def backup(source: Path, destination: Path) -> None:
    """Copy a live database consistently with SQLite's online backup API.

    Safe while the bot runs: the copy is a snapshot of one moment, WAL
    contents included, and the bot's writes are not blocked for long.
    """
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
    finally:
        src.close()
