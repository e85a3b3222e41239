"""The database file: WAL, foreign keys, migrations, online backup."""

import sqlite3
from pathlib import Path

import pytest

from bot.core import db as dbmod
from bot.core.db import Database, MigrationError


async def test_open_applies_migrations_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "sub" / "bot.db")
    try:
        assert await database.scalar("PRAGMA journal_mode") == "wal"
        assert await database.scalar("PRAGMA foreign_keys") == 1
        assert await database.scalar("PRAGMA user_version") >= 1
        tables = {r[0] for r in await database.fetchall("SELECT name FROM sqlite_master")}
        assert {"citizens", "citizen_topics", "officers", "officer_roles", "audit_log"} <= tables
    finally:
        await database.close()


async def test_reopening_does_not_reapply(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    first = await Database.open(path)
    version = await first.scalar("PRAGMA user_version")
    await first.close()
    again = await Database.open(path)
    assert await again.scalar("PRAGMA user_version") == version
    await again.close()


async def test_a_broken_migration_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (folder / "0002_bad.sql").write_text(
        "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);"
    )
    with pytest.raises(MigrationError, match=r"0002_bad\.sql"):
        await Database.open(tmp_path / "x.db", migrations=folder)
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'b'").fetchone() is None
    conn.close()


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(MigrationError, match="newer"):
        await Database.open(path)


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "bot.db")
    try:
        with pytest.raises(RuntimeError):
            async with database.transaction() as tx:
                await tx.execute(
                    "INSERT INTO officers (channel, external_id, name, created_at, updated_at)"
                    " VALUES ('telegram', '1', 'A', 'x', 'x')"
                )
                raise RuntimeError("boom")
        assert await database.scalar("SELECT COUNT(*) FROM officers") == 0
    finally:
        await database.close()


async def test_backup_while_open_is_a_consistent_copy(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "bot.db")
    try:
        await database.execute(
            "INSERT INTO officers (channel, external_id, name, created_at, updated_at)"
            " VALUES ('telegram', '7', 'Bà Lan', 'x', 'x')"
        )
        dbmod.backup(database.path, tmp_path / "copy.db")
    finally:
        await database.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT name FROM officers").fetchone()[0] == "Bà Lan"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


async def test_deleted_values_leave_the_file_and_the_wal(tmp_path: Path) -> None:
    """Freed space is zeroed and `purge_wal` empties the WAL: nothing deleted stays readable."""
    path, wal = tmp_path / "bot.db", tmp_path / "bot.db-wal"
    database = await Database.open(path)
    try:
        # Some SQLite builds zero freed space by default; the bot must not rely on it.
        assert await database.scalar("PRAGMA secure_delete") == 1
        await database.execute("CREATE TABLE t (x TEXT)")
        # Deleted while still only in the WAL: its old frames hold the value.
        await database.execute("INSERT INTO t VALUES ('Zyxwvu 0912345670'), ('kept')")
        await database.execute("DELETE FROM t WHERE x LIKE 'Zyxwvu%'")
        assert b"Zyxwvu" in wal.read_bytes()
        await database.purge_wal()
        assert wal.stat().st_size == 0 and b"Zyxwvu" not in path.read_bytes()
        # Deleted once in the database file: its freed space is zeroed.
        await database.execute("INSERT INTO t VALUES ('Erasable 0912345671')")
        await database.purge_wal()
        assert b"Erasable" in path.read_bytes()
        await database.execute("DELETE FROM t WHERE x LIKE 'Erasable%'")
        await database.purge_wal()
        assert b"Erasable" not in path.read_bytes() and b"kept" in path.read_bytes()
    finally:
        await database.close()
