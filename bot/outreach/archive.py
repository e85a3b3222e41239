"""The archive citizens browse: library items and the announcements sent, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.clock import from_db
from bot.core.db import Database
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import Audience
from bot.outreach.library.items import LibraryItem
from bot.outreach.library.store import Library
from bot.people.citizens import Citizen

# Sent or being sent, composed in /post rather than picked from the library:
# a library item's broadcast is archived as the item itself, once.
_SENT = (
    "state IN ('sending', 'done') AND item_id IS NULL"
    " AND message IS NOT NULL AND queued_at IS NOT NULL"
)


@dataclass(frozen=True)
class Reader:
    """Whom the archive is shown to: where they live and what they follow."""

    village_id: str | None = None
    topics: frozenset[str] = frozenset()

    @classmethod
    def of(cls, citizen: Citizen | None) -> Reader:
        """A registered citizen, or a stranger who sees only what was meant for everyone."""
        return cls() if citizen is None else cls(citizen.village_id, citizen.topics)


@dataclass(frozen=True)
class Announcement:
    """A broadcast an officer composed (text, photo or document) as it went out."""

    id: int
    message: OutgoingMessage
    sent_at: datetime


@dataclass(frozen=True)
class ArchiveEntry:
    """One line of the archive: a library item or an announcement, and when it appeared."""

    moment: datetime
    item: LibraryItem | None = None
    announcement: Announcement | None = None


# A sort key: (moment, 0 for an announcement | 1 for an item, -broadcast id, item id).
_Key = tuple[datetime, int, int, str]


class Archive:
    """Mixes the library and sent announcements by publication moment, for one reader.

    Which announcements a reader sees is the broadcast's own audience rule
    (`Audience.addresses`), applied in Python to the light (id, audience,
    time) rows: a commune sends hundreds of posts a year, not millions.
    """

    def __init__(self, db: Database, library: Library, timezone: ZoneInfo) -> None:
        self._db = db
        self._library = library
        self._tz = timezone

    async def page(
        self, reader: Reader, now: datetime, *, offset: int = 0, limit: int = 5
    ) -> tuple[list[ArchiveEntry], int]:
        """A page of what `reader` may read, newest first, and how many there are in all."""
        keys = await self._keys(reader, now)
        entries = [await self._entry(key, reader, now) for key in keys[offset : offset + limit]]
        return [e for e in entries if e is not None], len(keys)

    async def announcement(
        self, broadcast_id: int, reader: Reader | None = None
    ) -> Announcement | None:
        """A sent announcement; with `reader`, only if it was meant for them."""
        row = await self._db.fetchone(
            f"SELECT id, message, audience, queued_at FROM broadcasts WHERE id = ? AND {_SENT}",
            (broadcast_id,),
        )
        if row is None:
            return None
        if reader is not None and not _meant_for(row["audience"], reader):
            return None
        return Announcement(
            row["id"], OutgoingMessage.from_json(row["message"]), from_db(row["queued_at"])
        )

    async def _keys(self, reader: Reader, now: datetime) -> list[_Key]:
        today = now.astimezone(self._tz).date()
        published = await self._library.published(reader.village_id, today)
        keys: list[_Key] = [(self.day_start(day), 1, 0, item_id) for item_id, day in published]
        rows = await self._db.fetchall(
            f"SELECT id, audience, queued_at FROM broadcasts WHERE {_SENT}"
        )
        keys += [
            (from_db(r["queued_at"]), 0, -r["id"], "")
            for r in rows
            if _meant_for(r["audience"], reader)
        ]
        # Newest first; on the same moment announcements first, the latest one
        # first, and items by id as the library lists them.
        keys.sort(key=lambda k: (-k[0].timestamp(), k[1], k[2], k[3]))
        return keys

    def day_start(self, day: date) -> datetime:
        """A library item's publication moment: the start of its date in the commune.

        Items are dated by day; an announcement sent that day is newer.
        """
        return datetime.combine(day, time(0), self._tz)

    async def _entry(self, key: _Key, reader: Reader, now: datetime) -> ArchiveEntry | None:
        moment, kind, negative_id, item_id = key
        if kind == 0:
            found = await self.announcement(-negative_id)
            return None if found is None else ArchiveEntry(moment, announcement=found)
        today = now.astimezone(self._tz).date()
        item = await self._library.visible(item_id, reader.village_id, today)
        return None if item is None else ArchiveEntry(moment, item=item)


def _meant_for(stored_audience: str, reader: Reader) -> bool:
    return Audience.parse(stored_audience).addresses(reader.village_id, reader.topics)
