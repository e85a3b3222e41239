"""The library sync into SQLite: idempotent, edits update, bad files skipped, village rules."""

from datetime import date
from pathlib import Path

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.outreach.library.store import Library
from tests.unit.test_library_files import GOOD


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


async def test_sync_is_idempotent_and_follows_edits_removals_and_mistakes(
    db: Database, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    library = Library(db, clock, tmp_path)
    write(tmp_path, "a.md", GOOD)
    write(tmp_path, "b.md", GOOD.replace("mot-bai", "bai-hai"))
    first = await library.sync(settings)
    assert sorted(first.added) == ["bai-hai", "mot-bai"] and not first.problems
    again = await library.sync(settings)
    assert (again.added, again.updated, again.unchanged) == ([], [], 2)

    write(tmp_path, "a.md", GOOD.replace("Nội dung bài viết.", "Nội dung đã sửa."))
    write(
        tmp_path, "b.md", GOOD.replace("mot-bai", "bai-hai").replace("kind: model_story", "kind: ?")
    )
    edited = await library.sync(settings)
    assert edited.updated == ["mot-bai"] and [p.file for p in edited.problems] == ["b.md"]
    item = await library.get("mot-bai")
    assert item is not None and item.body == "Nội dung đã sửa."
    assert await library.get("bai-hai") is not None  # the last good version stays

    (tmp_path / "b.md").unlink()
    removed = await library.sync(settings)
    assert removed.removed == ["bai-hai"] and await library.get("bai-hai") is None


async def test_citizens_see_items_for_their_village_or_everyone_once_published(
    db: Database, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    write(tmp_path, "a.md", GOOD)  # dong-tam only
    write(tmp_path, "b.md", GOOD.replace("mot-bai", "chung").replace("villages: [dong-tam]\n", ""))
    write(tmp_path, "c.md", GOOD.replace("mot-bai", "sau-nay").replace("2024-05-01", "2030-01-01"))
    library = Library(db, clock, tmp_path)
    await library.sync(settings)
    today = date(2026, 3, 2)
    for village, expected in (
        ("dong-tam", ["chung", "mot-bai"]),
        ("viet-tien", ["chung"]),
        (None, ["chung"]),
    ):
        items, total = await library.latest(village, today)
        assert sorted(i.id for i in items) == expected and total == len(expected)
    assert await library.visible("mot-bai", "viet-tien", today) is None
    assert await library.visible("sau-nay", "dong-tam", today) is None  # not yet published
    models, _ = await library.latest("dong-tam", today, kind="policy")
    assert models == []
