"""The bot's own file store on a real folder and SQLite file: atomic, deduplicated, cached per channel."""

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from bot.core.config import ConfigError
from bot.messaging.files import (
    FileSettings,
    FileStore,
    FileTooLarge,
    file_ref,
    is_legacy,
    sha256_of,
)

PHOTO = b"\xff\xd8\xff\xe0 a photo of a broken road" * 10


@pytest.fixture
def store(db, clock, tmp_path: Path) -> FileStore:
    return FileStore(db, tmp_path / "files", clock, max_bytes=1000)


async def test_a_file_is_kept_under_its_sha256_with_size_type_and_name(store: FileStore) -> None:
    stored = await store.put(PHOTO, "image/jpeg", "duong.jpg")
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert (stored.sha256, stored.size, stored.mime, stored.filename) == (
        digest,
        len(PHOTO),
        "image/jpeg",
        "duong.jpg",
    )
    assert store.path(digest) == store.root / digest[:2] / digest
    assert store.path(digest).read_bytes() == PHOTO
    assert await store.read(digest) == PHOTO
    assert await store.get(digest) == stored
    assert stored.ref == f"file:{digest}" and sha256_of(stored.ref) == digest


async def test_the_type_is_guessed_from_the_name_when_not_given(store: FileStore) -> None:
    assert (await store.put(b"%PDF-1.4", filename="don.pdf")).mime == "application/pdf"
    assert (await store.put(b"?")).mime == "application/octet-stream"


async def test_the_same_bytes_are_kept_once(store: FileStore) -> None:
    first = await store.put(PHOTO, "image/jpeg", "a.jpg")
    again = await store.put(PHOTO, "image/jpeg", "b.jpg")
    assert again.sha256 == first.sha256 and again.filename == "a.jpg"  # the first description
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert files == [store.path(first.sha256)]
    assert await store.db.scalar("SELECT COUNT(*) FROM stored_files") == 1


async def test_a_file_on_disk_is_copied_in(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "bao-cao.pdf"
    source.write_bytes(b"%PDF-1.4 report")
    stored = await store.put(source, filename=source.name)
    assert store.path(stored.sha256).read_bytes() == b"%PDF-1.4 report"
    assert stored.sha256 == hashlib.sha256(b"%PDF-1.4 report").hexdigest()


async def test_a_file_over_the_limit_is_refused_and_nothing_is_written(store: FileStore) -> None:
    with pytest.raises(FileTooLarge) as raised:
        await store.put(b"x" * 1001, "application/pdf", "big.pdf")
    assert (raised.value.size, raised.value.limit) == (1001, 1000)
    assert not store.root.exists() or not any(p.is_file() for p in store.root.rglob("*"))
    assert await store.db.scalar("SELECT COUNT(*) FROM stored_files") == 0


async def test_the_write_is_atomic_a_failed_write_leaves_no_file(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash before the rename leaves neither a partial file nor a row naming one."""

    def power_cut(fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(OSError, match="disk gone"):
        await store.put(PHOTO, "image/jpeg")
    monkeypatch.undo()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []  # the temporary file is gone
    assert await store.db.scalar("SELECT COUNT(*) FROM stored_files") == 0
    stored = await store.put(PHOTO, "image/jpeg")  # and the next try works
    assert store.path(stored.sha256).read_bytes() == PHOTO


async def test_the_file_is_renamed_into_place_after_fsync(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bytes are flushed to disk before the final name appears, then the folder."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(f"replace {Path(src).parent.name} -> {Path(dst).parent.parent.name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    await store.put(PHOTO, "image/jpeg")
    assert events == ["fsync", "replace tmp -> files", "fsync"]


async def test_the_cache_is_per_channel_and_can_be_replaced_or_dropped(store: FileStore) -> None:
    stored = await store.put(PHOTO, "image/jpeg")
    assert await store.cache_ref(stored.sha256, "telegram") is None
    await store.remember(stored.sha256, "telegram", "AgAD-first")
    await store.remember(stored.sha256, "zalo", "zalo-attachment-9")
    await store.remember(stored.sha256, "telegram", "AgAD-second")
    assert await store.cache_ref(stored.sha256, "telegram") == "AgAD-second"
    assert await store.cache_ref(stored.sha256, "zalo") == "zalo-attachment-9"
    await store.forget(stored.sha256, "telegram")
    assert await store.cache_ref(stored.sha256, "telegram") is None
    assert await store.cache_ref(stored.sha256, "zalo") == "zalo-attachment-9"


async def test_the_cache_names_only_stored_files(store: FileStore) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await store.remember("0" * 64, "telegram", "AgAD")


async def test_a_legacy_file_id_is_adopted_once_whatever_the_cache(store: FileStore) -> None:
    assert await store.legacy("telegram", "AgAD-old") is None
    stored = await store.put(PHOTO, "image/jpeg")
    await store.adopt("telegram", "AgAD-old", stored)
    assert await store.legacy("telegram", "AgAD-old") == stored
    assert await store.cache_ref(stored.sha256, "telegram") == "AgAD-old"
    await store.forget(stored.sha256, "telegram")
    assert await store.legacy("telegram", "AgAD-old") == stored  # the mapping is not a cache


@pytest.mark.parametrize(
    ("ref", "legacy"),
    [
        ("AgACAgIAAxkBAAIB", True),  # a Telegram file id
        (file_ref("a" * 64), False),
        ("path:/srv/content/anh.jpg", False),
        ("https://example.org/anh.jpg", False),
        ("", False),
    ],
)
def test_which_references_are_legacy(ref: str, legacy: bool) -> None:
    assert is_legacy(ref) is legacy


def test_a_crafted_reference_cannot_name_a_path_outside_the_store(store: FileStore) -> None:
    assert sha256_of("file:../../etc/passwd") is None
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")


def test_the_files_section_is_checked() -> None:
    assert FileSettings.from_section({}).max_bytes == 20 * 1024 * 1024
    assert FileSettings.from_section({"max_file_mb": 5}).max_bytes == 5 * 1024 * 1024
    with pytest.raises(ConfigError, match=r"\[files\] max_file_mb"):
        FileSettings.from_section({"max_file_mb": 0})
    with pytest.raises(ConfigError, match=r"\[files\] size"):
        FileSettings.from_section({"size": 1})
