"""Subscriber figures for a period, from the citizens table and its subscription history."""

from __future__ import annotations

from bot.core.clock import to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.i18n import N_
from bot.reports.figures import Count, SubscriberFigures
from bot.reports.period import Period

NOT_CHOSEN = N_("Village not chosen")

# Each citizen's last event before the end of the period says whether they
# were subscribed then; the tie on equal times goes to the later row.
_REACHABLE_AT_END = """
SELECT c.village_id, COUNT(*) FROM citizens c
WHERE (
    SELECT e.event FROM subscription_events e
    WHERE e.citizen_id = c.id AND e.at < :end ORDER BY e.at DESC, e.id DESC LIMIT 1
) = 'subscribed'
GROUP BY c.village_id
"""

# New: first subscription ever in the period. Returned: subscribed again in
# the period after a first subscription before it.
_SUBSCRIBED_IN_PERIOD = """
WITH first AS (
    SELECT citizen_id, MIN(at) AS at FROM subscription_events
    WHERE event = 'subscribed' GROUP BY citizen_id
)
SELECT
    (SELECT COUNT(*) FROM first WHERE at >= :start AND at < :end),
    (SELECT COUNT(DISTINCT e.citizen_id) FROM subscription_events e
     JOIN first f ON f.citizen_id = e.citizen_id
     WHERE e.event = 'subscribed' AND e.at >= :start AND e.at < :end AND f.at < :start)
"""

_LEFT_IN_PERIOD = """
SELECT
    COUNT(DISTINCT CASE WHEN event = 'unsubscribed' THEN citizen_id END),
    COUNT(DISTINCT CASE WHEN event = 'blocked' THEN citizen_id END)
FROM subscription_events WHERE at >= :start AND at < :end
"""


class SubscriberFiguresSource:
    """Counts subscribers honestly for any past period; implements `SubscriberSource`.

    "By village" uses each citizen's village now: the history records
    subscriptions, not moves between villages, which are rare.
    """

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    async def figures(self, period: Period) -> SubscriberFigures:
        bounds = {"start": to_db(period.start), "end": to_db(period.end)}
        by_village = {row[0]: row[1] for row in await self._db.fetchall(_REACHABLE_AT_END, bounds)}
        arrived = await self._db.fetchone(_SUBSCRIBED_IN_PERIOD, bounds)
        left = await self._db.fetchone(_LEFT_IN_PERIOD, bounds)
        assert arrived is not None and left is not None
        return SubscriberFigures(
            total=sum(by_village.values()),
            new=arrived[0],
            returned=arrived[1],
            unsubscribed=left[0],
            blocked=left[1],
            by_village=self._villages(by_village),
        )

    def _villages(self, counts: dict[str | None, int]) -> tuple[Count, ...]:
        """Every configured village in order (zeros included), then any others, then none."""
        known = [Count(v.id, v.name, counts.get(v.id, 0)) for v in self._settings.villages]
        ids = {v.id for v in self._settings.villages}
        # A village removed from the configuration still has its citizens counted.
        others = [
            Count(k, k, n)
            for k, n in sorted((k, n) for k, n in counts.items() if k)
            if k not in ids
        ]
        missing = [Count("", NOT_CHOSEN, counts[None])] if counts.get(None) else []
        return (*known, *others, *missing)
