"""Zalo's string ids as the numbers the application needs, both ways, kept in SQLite."""

from __future__ import annotations

from datetime import timedelta

from bot.core.clock import Clock, to_db
from bot.core.db import Database

# A message Zalo delivers again comes within minutes; a week is plenty.
SEEN_FOR = timedelta(days=7)


class ZaloIds:
    """Stable numbers for Zalo ids (the number is the person's external id on the channel).

    Looked up in memory once known; a new id is written before any update
    that carries it is handed on, so a number is never given twice.
    """

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._to_local: dict[str, int] = {}
        self._to_zalo: dict[int, str] = {}

    async def local(self, zalo_id: str) -> int:
        """The number of a Zalo id, given now if it has none."""
        found = self._to_local.get(zalo_id)
        if found is not None:
            return found
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT local_id FROM zalo_bot_ids WHERE zalo_id = ?", (zalo_id,)
            )
            if row is None:
                number = await tx.execute(
                    "INSERT INTO zalo_bot_ids (zalo_id, created_at) VALUES (?, ?)",
                    (zalo_id, to_db(self._clock.now())),
                )
            else:
                number = int(row[0])
        self._remember(zalo_id, number)
        return number

    async def zalo(self, local_id: int) -> str | None:
        """The Zalo id behind a number; None when the number was never given."""
        found = self._to_zalo.get(local_id)
        if found is not None:
            return found
        value = await self._db.scalar(
            "SELECT zalo_id FROM zalo_bot_ids WHERE local_id = ?", (local_id,)
        )
        if value is None:
            return None
        self._remember(str(value), local_id)
        return str(value)

    async def first_sight(self, message_id: str) -> bool:
        """Whether this Zalo message is new (and now recorded); False for a repeat."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if await tx.fetchone("SELECT 1 FROM zalo_bot_seen WHERE message_id = ?", (message_id,)):
                return False
            await tx.execute(
                "INSERT INTO zalo_bot_seen (message_id, seen_at) VALUES (?, ?)",
                (message_id, to_db(now)),
            )
            await tx.execute(
                "DELETE FROM zalo_bot_seen WHERE seen_at < ?", (to_db(now - SEEN_FOR),)
            )
        return True

    def _remember(self, zalo_id: str, local_id: int) -> None:
        self._to_local[zalo_id] = local_id
        self._to_zalo[local_id] = zalo_id
