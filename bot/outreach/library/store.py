"""Library items in SQLite: the sync at start-up and what citizens browse."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

from bot.core.clock import Clock, to_db
from bot.core.config import Settings
from bot.core.db import Database, Transaction
from bot.outreach.library.items import LIBRARY_DIR, LibraryItem, SyncReport, load_folder

log = logging.getLogger(__name__)
_VISIBLE = (
    "i.active = 1 AND i.published_on <= :today"
    " AND (:kind IS NULL OR i.kind = :kind)"
    " AND (NOT EXISTS (SELECT 1 FROM library_item_villages v WHERE v.item_id = i.id)"
    "      OR EXISTS (SELECT 1 FROM library_item_villages v"
    "                 WHERE v.item_id = i.id AND v.village_id = :village))"
)


class Library:
    """Reads the folder into SQLite and serves items to citizens and officers."""

    def __init__(self, db: Database, clock: Clock, folder: Path | None = None) -> None:
        self._db = db
        self._clock = clock
        self.folder = folder or LIBRARY_DIR

    async def sync(self, settings: Settings) -> SyncReport:
        """Bring SQLite in line with the folder; a bad file is reported and skipped.

        Idempotent: an unchanged file writes nothing. An item whose file is
        malformed keeps its last good version; one whose file is gone is hidden
        (not deleted: past broadcasts still point at it).
        """
        items, problems = load_folder(self.folder, settings)
        report = SyncReport(problems=problems)
        for problem in problems:
            log.warning("library: skipped %s", problem)
        keep_sources = {p.file for p in problems}
        async with self._db.transaction() as tx:
            rows = await tx.fetchall("SELECT id, checksum, source, active FROM library_items")
            known = {r["id"]: r for r in rows}
            for item in items:
                row = known.get(item.id)
                if row is not None and row["checksum"] == item.checksum and row["active"]:
                    report.unchanged += 1
                    continue
                await self._upsert(tx, item)
                (report.updated if row is not None else report.added).append(item.id)
            current = {i.id for i in items}
            for item_id, row in known.items():
                if item_id not in current and row["active"] and row["source"] not in keep_sources:
                    await tx.execute("UPDATE library_items SET active = 0 WHERE id = ?", (item_id,))
                    report.removed.append(item_id)
        return report

    async def _upsert(self, tx: Transaction, item: LibraryItem) -> None:
        await tx.execute(
            "INSERT INTO library_items (id, kind, title, summary, body, topics, image,"
            " published_on, sample, source, checksum, active, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
            " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, title = excluded.title,"
            " summary = excluded.summary, body = excluded.body, topics = excluded.topics,"
            " image = excluded.image, published_on = excluded.published_on,"
            " sample = excluded.sample, source = excluded.source,"
            " checksum = excluded.checksum, active = 1, updated_at = excluded.updated_at",
            (
                item.id,
                item.kind,
                item.title,
                item.summary,
                item.body,
                " ".join(item.topics),
                item.image.name if item.image else None,
                item.published_on.isoformat(),
                int(item.sample),
                item.source,
                item.checksum,
                to_db(self._clock.now()),
            ),
        )
        await tx.execute("DELETE FROM library_item_villages WHERE item_id = ?", (item.id,))
        await tx.executemany(
            "INSERT INTO library_item_villages (item_id, village_id) VALUES (?, ?)",
            [(item.id, v) for v in item.villages],
        )

    async def latest(
        self,
        village_id: str | None,
        today: date,
        *,
        kind: str | None = None,
        offset: int = 0,
        limit: int = 5,
    ) -> tuple[list[LibraryItem], int]:
        """A page of items a citizen of `village_id` may read, newest first, and the total."""
        params = {"today": today.isoformat(), "kind": kind, "village": village_id}
        total = await self._db.scalar(
            f"SELECT COUNT(*) FROM library_items i WHERE {_VISIBLE}", params
        )
        rows = await self._db.fetchall(
            f"SELECT i.* FROM library_items i WHERE {_VISIBLE}"
            " ORDER BY i.published_on DESC, i.id LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
        return [await self._item(r) for r in rows], int(total)

    async def published(self, village_id: str | None, today: date) -> list[tuple[str, date]]:
        """(id, published_on) of every item a citizen of `village_id` may read today."""
        params = {"today": today.isoformat(), "kind": None, "village": village_id}
        rows = await self._db.fetchall(
            f"SELECT i.id, i.published_on FROM library_items i WHERE {_VISIBLE}", params
        )
        return [(r["id"], date.fromisoformat(r["published_on"])) for r in rows]

    async def visible(
        self, item_id: str, village_id: str | None, today: date
    ) -> LibraryItem | None:
        """The item if a citizen of `village_id` may read it today."""
        params = {"today": today.isoformat(), "kind": None, "village": village_id, "id": item_id}
        row = await self._db.fetchone(
            f"SELECT i.* FROM library_items i WHERE i.id = :id AND {_VISIBLE}", params
        )
        return None if row is None else await self._item(row)

    async def get(self, item_id: str) -> LibraryItem | None:
        """Any active item, for officers choosing what to send."""
        row = await self._db.fetchone(
            "SELECT * FROM library_items WHERE id = ? AND active = 1", (item_id,)
        )
        return None if row is None else await self._item(row)

    async def page(self, offset: int, limit: int) -> tuple[list[LibraryItem], int]:
        """Every active item, newest first, for the officer's picker."""
        total = await self._db.scalar("SELECT COUNT(*) FROM library_items WHERE active = 1")
        rows = await self._db.fetchall(
            "SELECT * FROM library_items WHERE active = 1"
            " ORDER BY published_on DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [await self._item(r) for r in rows], int(total)

    async def _item(self, row: sqlite3.Row) -> LibraryItem:
        villages = await self._db.fetchall(
            "SELECT village_id FROM library_item_villages WHERE item_id = ? ORDER BY village_id",
            (row["id"],),
        )
        return LibraryItem(
            id=row["id"],
            kind=row["kind"],
            title=row["title"],
            body=row["body"],
            published_on=date.fromisoformat(row["published_on"]),
            topics=tuple(row["topics"].split()),
            villages=tuple(v[0] for v in villages),
            image=self.folder / row["image"] if row["image"] else None,
            sample=bool(row["sample"]),
            summary=row["summary"],
            source=row["source"],
            checksum=row["checksum"],
        )
