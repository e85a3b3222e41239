"""Commune officers and the roles the plan gives them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from bot.core.clock import Clock, to_db
from bot.core.config import nfc
from bot.core.db import Database
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient


class Role(StrEnum):
    """An officer's responsibility in the commune's plan."""

    CHAIRMAN = "chairman"  # Chủ tịch UBND xã
    OFFICE = "office"  # Văn phòng – Thống kê
    CULTURE = "culture"  # Văn hoá – Xã hội
    JUSTICE = "justice"  # Tư pháp – Hộ tịch
    FINANCE = "finance"  # Tài chính – Kế toán

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError:
            known = ", ".join(r.value for r in cls)
            raise UnknownRole(f"unknown role {value!r}; known roles: {known}") from None


class UnknownRole(ValueError):
    """A role name that the plan does not define."""


class DuplicateOfficer(ValueError):
    """The person is already an active officer."""


@dataclass(frozen=True)
class Officer:
    """An officer: who, on which channel, with which roles."""

    id: int
    recipient: Recipient
    name: str
    language: str
    roles: frozenset[Role]
    active: bool

    def has_any(self, roles: frozenset[Role]) -> bool:
        return bool(self.roles & roles)


@dataclass(frozen=True)
class Speaker:
    """The person behind an update as the gate sees them."""

    citizen_language: str | None  # None: not a citizen
    officer: Officer | None  # active or not


class OfficerRepository:
    """Officers and their roles in SQLite."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def add(self, recipient: Recipient, name: str, roles: set[Role]) -> Officer:
        """Make someone an officer, or re-activate a former one with new roles."""
        if not roles:
            raise UnknownRole("at least one role is needed")
        existing = await self.get(recipient, include_inactive=True)
        if existing is not None and existing.active:
            raise DuplicateOfficer(
                f"{recipient.external_id} is already an officer ({existing.name})"
            )
        now = to_db(self._clock.now())
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO officers (channel, external_id, name, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, external_id)"
                " DO UPDATE SET name = excluded.name, active = 1, updated_at = excluded.updated_at",
                (recipient.channel, recipient.external_id, clean_line(nfc(name)), now, now),
            )
            row = await tx.fetchone(
                "SELECT id FROM officers WHERE channel = ? AND external_id = ?",
                (recipient.channel, recipient.external_id),
            )
            assert row is not None
            await tx.execute("DELETE FROM officer_roles WHERE officer_id = ?", (row[0],))
            await tx.executemany(
                "INSERT INTO officer_roles (officer_id, role) VALUES (?, ?)",
                [(row[0], role.value) for role in sorted(roles)],
            )
        officer = await self.get(recipient)
        assert officer is not None
        return officer

    async def deactivate(self, recipient: Recipient) -> Officer:
        officer = await self.get(recipient)
        if officer is None:
            raise LookupError(f"{recipient.external_id} is not an active officer")
        await self._db.execute(
            "UPDATE officers SET active = 0, updated_at = ? WHERE id = ?",
            (to_db(self._clock.now()), officer.id),
        )
        return officer

    async def get(self, recipient: Recipient, *, include_inactive: bool = False) -> Officer | None:
        rows = await self._select(
            "WHERE o.channel = ? AND o.external_id = ?"
            + ("" if include_inactive else " AND o.active = 1"),
            (recipient.channel, recipient.external_id),
        )
        return rows[0] if rows else None

    async def speaker(self, recipient: Recipient) -> Speaker:
        """Who wrote: their language as a citizen and their officer record, in one query.

        Every update asks both before any feature runs (the gate its language,
        the officers' menu refresh the officer): one trip to SQLite, not two.
        """
        rows = await self._db.fetchall(
            "SELECT c.language AS citizen_language, o.*,"
            " COALESCE(c.language, o.language) AS chosen_language,"
            " group_concat(r.role) AS roles FROM (SELECT ? AS ch, ? AS ext) k"
            " LEFT JOIN citizens c ON c.channel = k.ch AND c.external_id = k.ext"
            " LEFT JOIN officers o ON o.channel = k.ch AND o.external_id = k.ext"
            " LEFT JOIN officer_roles r ON r.officer_id = o.id GROUP BY o.id",
            (recipient.channel, recipient.external_id),
        )
        row = rows[0]
        officer = None if row["id"] is None else _officer(row)
        return Speaker(row["citizen_language"], officer)

    async def all(self, *, include_inactive: bool = False) -> list[Officer]:
        return await self._select("" if include_inactive else "WHERE o.active = 1", ())

    async def with_role(self, role: Role) -> list[Officer]:
        return [o for o in await self.all() if role in o.roles]

    async def _select(self, where: str, params: tuple[str, ...]) -> list[Officer]:
        rows = await self._db.fetchall(
            # An officer who also chose a language as a citizen is served in it.
            "SELECT o.*, COALESCE(c.language, o.language) AS chosen_language,"
            " group_concat(r.role) AS roles FROM officers o"
            " LEFT JOIN citizens c ON c.channel = o.channel AND c.external_id = o.external_id"
            f" LEFT JOIN officer_roles r ON r.officer_id = o.id {where}"
            " GROUP BY o.id ORDER BY o.name",
            params,
        )
        return [_officer(row) for row in rows]


def _officer(row: sqlite3.Row) -> Officer:
    return Officer(
        id=row["id"],
        recipient=Recipient(row["channel"], row["external_id"]),
        name=row["name"],
        language=row["chosen_language"],
        roles=frozenset(Role(r) for r in (row["roles"] or "").split(",") if r),
        active=bool(row["active"]),
    )
