"""Broadcasts a channel also publishes on its own public feed (a Zalo OA's articles), within a quota.

A channel with a feed of its own (the Zalo OA: an article sent to every
follower, a few a month) turns it on with `open_feed`; from then on each
broadcast that starts sending is claimed once (`claim_next`) and its fate
recorded (`finish`): published, refused for the month's quota, or failed
with the platform's reason. The officers read it beside the delivery
figures; the per-citizen delivery never depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database

PUBLISHING, PUBLISHED, QUOTA, FAILED = "publishing", "published", "quota", "failed"
SKIPPED = "skipped"  # not a post for the feed (one with buttons: a consultation's invitation)
# A broadcast older than this when its feed finds it is no longer news to publish.
FRESH_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Publication:
    """What became of one broadcast on one channel's feed."""

    broadcast_id: int
    channel: str
    state: str  # publishing | published | quota | failed | skipped
    detail: str
    created_at: datetime


class Publications:
    """The publications table: claims, outcomes, and the month's count per channel."""

    def __init__(self, db: Database, clock: Clock, timezone: tzinfo) -> None:
        self._db = db
        self._clock = clock
        self._tz = timezone

    async def open_feed(self, channel: str) -> None:
        """Publish from now on; a claim a crash left unfinished is failed, never redone
        (the article may exist: a second one would reach the followers twice)."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO publication_feeds (channel, since) VALUES (?, ?)"
                " ON CONFLICT (channel) DO NOTHING",
                (channel, now),
            )
            await tx.execute(
                "UPDATE publications SET state = ?, detail = 'interrupted by a restart',"
                " updated_at = ? WHERE channel = ? AND state = ?",
                (FAILED, now, channel, PUBLISHING),
            )

    async def close_feed(self, channel: str) -> None:
        """Publish no more: turned on again later, only posts sent after that are published."""
        await self._db.execute("DELETE FROM publication_feeds WHERE channel = ?", (channel,))

    async def claim_next(self, channel: str) -> int | None:
        """The next broadcast to publish on `channel`, claimed; None when there is none."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            row = await tx.fetchone(
                "SELECT b.id FROM broadcasts b JOIN publication_feeds f ON f.channel = ?1"
                " WHERE b.state IN ('sending', 'done') AND b.message IS NOT NULL"
                " AND b.queued_at >= f.since AND b.total > 0"
                " AND b.queued_at >= ?2"
                " AND NOT EXISTS (SELECT 1 FROM publications p"
                "  WHERE p.broadcast_id = b.id AND p.channel = ?1)"
                " ORDER BY b.queued_at, b.id LIMIT 1",
                (channel, to_db(now - FRESH_FOR)),
            )
            if row is None:
                return None
            await tx.execute(
                "INSERT INTO publications (broadcast_id, channel, state, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (row[0], channel, PUBLISHING, to_db(now), to_db(now)),
            )
        return int(row[0])

    async def finish(
        self, broadcast_id: int, channel: str, state: str, detail: str = "", ref: str | None = None
    ) -> None:
        await self._db.execute(
            "UPDATE publications SET state = ?, detail = ?, ref = ?, updated_at = ?"
            " WHERE broadcast_id = ? AND channel = ?",
            (state, detail, ref, to_db(self._clock.now()), broadcast_id, channel),
        )

    async def published_this_month(self, channel: str) -> int:
        """How many the channel published since the 1st of this month (the commune's time)."""
        local = self._clock.now().astimezone(self._tz)
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return int(
            await self._db.scalar(
                "SELECT COUNT(*) FROM publications WHERE channel = ? AND state = ?"
                " AND created_at >= ?",
                (channel, PUBLISHED, to_db(start)),
            )
        )

    async def of(self, broadcast_id: int) -> list[Publication]:
        rows = await self._db.fetchall(
            "SELECT broadcast_id, channel, state, detail, created_at FROM publications"
            " WHERE broadcast_id = ? ORDER BY channel",
            (broadcast_id,),
        )
        return [Publication(r[0], r[1], r[2], r[3], from_db(r[4])) for r in rows]
