"""Conversations in progress, kept in SQLite so a restart loses nobody's work.

Each person has at most one: the /feedback form, a text an officer or a
citizen is about to type for a case, `/post`'s awaited content or date-time,
a duty's awaited report file. The latest prompt wins: starting another flow
replaces the open one, since the person's next message can only go to one.
A copy of who is in which flow is kept in memory so the channel layer can
route a message without a query per update.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient


class ConversationStore:
    """One conversation per person: a flow name and a JSON object."""

    def __init__(self, db: Database, clock: Clock, max_age: timedelta) -> None:
        self._db = db
        self._clock = clock
        self._max_age = max_age
        self._flows: dict[Recipient, str] = {}

    async def load(self) -> None:
        """Remember who is in a conversation younger than the maximum age; drop the rest."""
        cutoff = to_db(self._clock.now() - self._max_age)
        await self._db.execute("DELETE FROM conversations WHERE updated_at < ?", (cutoff,))
        await self._db.purge_wal()  # dropped forms may hold a name and phone
        rows = await self._db.fetchall("SELECT channel, external_id, flow FROM conversations")
        self._flows = {Recipient(r[0], r[1]): r[2] for r in rows}

    def flow_of(self, who: Recipient) -> str | None:
        return self._flows.get(who)

    async def get(self, who: Recipient, flow: str) -> dict[str, Any] | None:
        """The person's data in `flow`; None if they are in no flow, another one, or a stale one."""
        row = await self._db.fetchone(
            "SELECT data, updated_at FROM conversations"
            " WHERE channel = ? AND external_id = ? AND flow = ?",
            (who.channel, who.external_id, flow),
        )
        if row is None:
            return None
        if from_db(row["updated_at"]) < self._clock.now() - self._max_age:
            await self.clear(who)
            return None
        data: dict[str, Any] = json.loads(row["data"])
        return data

    async def put(self, who: Recipient, flow: str, data: dict[str, Any]) -> None:
        """Start or update the person's conversation (replacing one of another flow)."""
        await self._db.execute(
            "INSERT INTO conversations (channel, external_id, flow, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO UPDATE SET"
            " flow = excluded.flow, data = excluded.data, updated_at = excluded.updated_at",
            (who.channel, who.external_id, flow, _dumps(data), to_db(self._clock.now())),
        )
        self._flows[who] = flow

    async def clear(self, who: Recipient, flow: str | None = None) -> None:
        """End the person's conversation; given `flow`, only if it is still that one."""
        if flow is not None and self._flows.get(who) != flow:
            return
        await self._db.execute(
            "DELETE FROM conversations WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        if self._flows.pop(who, None) is not None:
            # A dropped form may hold a name and phone: take them off the disk.
            await self._db.purge_wal()

    async def clear_in(self, tx: Transaction, who: Recipient) -> bool:
        """Delete inside a transaction (e.g. with the submitted case); True if one existed."""
        row = await tx.fetchone(
            "SELECT 1 FROM conversations WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        await tx.execute(
            "DELETE FROM conversations WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        self._flows.pop(who, None)
        return row is not None


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
