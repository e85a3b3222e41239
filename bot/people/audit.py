"""The append-only log of officer actions, allowed or refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database
from bot.messaging.channels import Recipient


@dataclass(frozen=True)
class AuditEntry:
    """One officer action: who, what, on what, and whether it was allowed."""

    at: datetime
    actor: Recipient
    officer_id: int | None
    action: str
    target: str
    detail: str
    outcome: str


class AuditLog:
    """Writes and reads `audit_log`; SQLite triggers forbid edits and deletes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self,
        actor: Recipient,
        action: str,
        *,
        officer_id: int | None = None,
        target: str = "",
        detail: str = "",
        outcome: str = "ok",
    ) -> None:
        await self._db.execute(
            "INSERT INTO audit_log (at, actor_channel, actor_external_id, officer_id, action,"
            " target, detail, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_db(self._clock.now()),
                actor.channel,
                actor.external_id,
                officer_id,
                action,
                target,
                detail,
                outcome,
            ),
        )

    async def recent(self, limit: int = 20) -> list[AuditEntry]:
        rows = await self._db.fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        return [
            AuditEntry(
                at=from_db(r["at"]),
                actor=Recipient(r["actor_channel"], r["actor_external_id"]),
                officer_id=r["officer_id"],
                action=r["action"],
                target=r["target"],
                detail=r["detail"],
                outcome=r["outcome"],
            )
            for r in rows
        ]
