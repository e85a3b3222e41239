"""Broadcast figures for reports and the weekly digest, from broadcasts and their outbox rows."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.core.clock import to_db
from bot.core.db import Database
from bot.core.i18n import N_
from bot.duties.messages import DigestFigure
from bot.outreach.library.items import KINDS
from bot.reports.figures import BroadcastFigures, Count
from bot.reports.period import Period

KIND_NAMES = {
    "model_story": N_("Skilful mobilisation stories"),
    "good_deed": N_("Good deeds"),
    "policy": N_("Policy and law"),
    "reform": N_("Administrative reform"),
    "announcement": N_("Announcements"),
}

# A broadcast counts in the period it went out (was queued); a text written
# in the composer, with no library item, is an announcement.
_SENT = """
SELECT COALESCE(i.kind, 'announcement') AS kind,
       (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id) AS recipients,
       (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.state = 'sent') AS delivered,
       (SELECT COUNT(*) FROM outbox o WHERE o.broadcast_id = b.id AND o.state = 'outside')
         AS outside_window
FROM broadcasts b LEFT JOIN library_items i ON i.id = b.item_id
WHERE b.queued_at >= :start AND b.queued_at < :end AND b.state IN ('sending', 'done')
"""


class BroadcastFiguresSource:
    """Implements the reports' `BroadcastSource` and the duties' `DigestSource`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def figures(self, period: Period) -> BroadcastFigures:
        return await self._between(to_db(period.start), to_db(period.end))

    async def weekly_figures(self, start: datetime, end: datetime) -> list[DigestFigure]:
        figures = await self._between(to_db(start), to_db(end))
        sent = sum(c.value for c in figures.by_kind)
        digest = [
            DigestFigure(N_("Broadcasts sent this week"), sent),
            DigestFigure(N_("Messages delivered this week"), figures.delivered),
        ]
        if figures.outside_window:  # only where a Zalo OA holds messages back
            label = N_("Not sent this week: outside Zalo's messaging window")
            digest.append(DigestFigure(label, figures.outside_window))
        return digest

    async def _between(self, start: str, end: str) -> BroadcastFigures:
        rows = await self._db.fetchall(_SENT, {"start": start, "end": end})
        kinds = Counter(row["kind"] for row in rows)
        return BroadcastFigures(
            by_kind=tuple(Count(k, KIND_NAMES[k], kinds.get(k, 0)) for k in KINDS),
            recipients=sum(row["recipients"] for row in rows),
            delivered=sum(row["delivered"] for row in rows),
            outside_window=sum(row["outside_window"] for row in rows),
        )
