"""Conversations in progress, kept in SQLite so a restart loses nothing typed.

Each person has at most one: the /feedback form, or a text an officer or a
citizen is about to type for a case. A copy of who has one is kept in memory
so the Telegram layer can route a message without a query per update.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from bot.cases.model import Contact, Draft, FileRef, Kind, Location, Topic
from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient

INTAKE = "intake"
OFFICER = "officer"
TRACK = "track"


class DraftStore:
    """One draft per person: a flow name and a JSON object."""

    def __init__(self, db: Database, clock: Clock, max_age: timedelta) -> None:
        self._db = db
        self._clock = clock
        self._max_age = max_age
        self._flows: dict[Recipient, str] = {}

    async def load(self) -> None:
        """Remember who has a draft younger than the maximum age; drop the rest."""
        cutoff = to_db(self._clock.now() - self._max_age)
        await self._db.execute("DELETE FROM case_drafts WHERE updated_at < ?", (cutoff,))
        await self._db.purge_wal()  # dropped forms may hold a name and phone
        rows = await self._db.fetchall("SELECT channel, external_id, flow FROM case_drafts")
        self._flows = {Recipient(r[0], r[1]): r[2] for r in rows}

    def flow_of(self, who: Recipient) -> str | None:
        return self._flows.get(who)

    async def get(self, who: Recipient, flow: str) -> dict[str, Any] | None:
        row = await self._db.fetchone(
            "SELECT data, updated_at FROM case_drafts"
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
        await self._db.execute(
            "INSERT INTO case_drafts (channel, external_id, flow, data, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id) DO UPDATE SET"
            " flow = excluded.flow, data = excluded.data, updated_at = excluded.updated_at",
            (who.channel, who.external_id, flow, _dumps(data), to_db(self._clock.now())),
        )
        self._flows[who] = flow

    async def clear(self, who: Recipient) -> None:
        await self._db.execute(
            "DELETE FROM case_drafts WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        if self._flows.pop(who, None) is not None:
            # A dropped form may hold a name and phone: take them off the disk.
            await self._db.purge_wal()

    async def clear_in(self, tx: Transaction, who: Recipient) -> bool:
        """Delete inside a transaction (e.g. with the submitted case); True if one existed."""
        row = await tx.fetchone(
            "SELECT 1 FROM case_drafts WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        await tx.execute(
            "DELETE FROM case_drafts WHERE channel = ? AND external_id = ?",
            (who.channel, who.external_id),
        )
        self._flows.pop(who, None)
        return row is not None

    async def erase_contacts(self, who: Recipient) -> None:
        """Forget a name and phone typed into a form not yet sent (/mydata)."""
        data = await self.get(who, INTAKE)
        if data is not None and data.get("contact"):
            data["contact"] = None
            await self.put(who, INTAKE, data)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def draft_to_data(draft: Draft) -> dict[str, Any]:
    return asdict(draft)


def draft_from_data(data: dict[str, Any]) -> Draft:
    """Rebuild a form from its stored JSON; unknown values fall back to the start."""
    loc = data.get("location")
    contact = data.get("contact")
    return Draft(
        step=str(data.get("step", "kind")),
        kind=Kind(data["kind"]) if data.get("kind") else None,
        topic=Topic(data["topic"]) if data.get("topic") else None,
        village_id=data.get("village_id"),
        description=str(data.get("description", "")),
        location=Location(loc["latitude"], loc["longitude"]) if loc else None,
        files=tuple(file_from_data(f) for f in data.get("files", ())),
        contact=Contact(contact["name"], contact["phone"]) if contact else None,
        anonymous=bool(data.get("anonymous", False)),
        consent=bool(data.get("consent", False)),
    )


def file_to_data(file: FileRef) -> dict[str, Any]:
    return asdict(file)


def file_from_data(data: dict[str, Any]) -> FileRef:
    """A file kept in a draft; drafts from before the store have no size."""
    return FileRef(data["kind"], data["ref"], data.get("filename"), int(data.get("size", 0)))
