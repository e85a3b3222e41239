"""Cases, their files and their append-only event log in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.cases.model import (
    Action,
    Case,
    Contact,
    Event,
    FileRef,
    Kind,
    Location,
    Status,
    Topic,
)
from bot.core.clock import from_db, to_db
from bot.core.db import Database, Transaction
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient
from bot.people.officers import Role

_UPDATABLE = {
    "status",
    "assignee_id",
    "office",
    "accepted_at",
    "closed_at",
    "due_on",
    "rating",
    "rating_comment",
    "contact_name",
    "contact_phone",
    "reporter_channel",
    "reporter_external_id",
}


@dataclass(frozen=True)
class NewCase:
    """Everything a case is created with."""

    code: str
    kind: Kind
    topic: Topic
    village_id: str | None
    description: str
    text_hash: str
    reporter: Recipient | None
    contact: Contact | None
    anonymous: bool
    location: Location | None
    office: Role
    language: str
    received_at: datetime
    due_on: date


@dataclass(frozen=True)
class CaseFilter:
    """Which open cases an officer lists; `kinds` are those they may see."""

    kinds: frozenset[Kind]
    assignee_id: int | None = None
    overdue_on: date | None = None  # due before this day
    kind: Kind | None = None
    topic: Topic | None = None
    village_id: str | None = None


class CaseRepository:
    """Reads on the shared connection; writes inside the caller's transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(self, tx: Transaction, case: NewCase) -> int:
        loc = case.location
        return await tx.execute(
            "INSERT INTO cases (code, kind, topic, village_id, description, text_hash, status,"
            " reporter_channel, reporter_external_id, contact_name, contact_phone, consent_at,"
            " anonymous, latitude, longitude, office, language, received_at, due_on, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case.code,
                case.kind.value,
                case.topic.value,
                case.village_id,
                case.description,
                case.text_hash,
                case.reporter.channel if case.reporter else None,
                case.reporter.external_id if case.reporter else None,
                case.contact.name if case.contact else None,
                case.contact.phone if case.contact else None,
                to_db(case.received_at) if case.contact else None,
                int(case.anonymous),
                loc.latitude if loc else None,
                loc.longitude if loc else None,
                case.office.value,
                case.language,
                to_db(case.received_at),
                case.due_on.isoformat(),
                to_db(case.received_at),
            ),
        )

    async def code_exists(self, tx: Transaction, code: str) -> bool:
        return await tx.fetchone("SELECT 1 FROM cases WHERE code = ?", (code,)) is not None

    async def update(self, tx: Transaction, case_id: int, at: datetime, **fields: object) -> None:
        """Set columns of one case; names come from code, never from users."""
        if not fields or not set(fields) <= _UPDATABLE:
            raise ValueError(f"cannot update {sorted(set(fields) - _UPDATABLE)}")
        values = [_db_value(v) for v in fields.values()]
        assignments = ", ".join(f"{name} = ?" for name in fields)
        await tx.execute(
            f"UPDATE cases SET {assignments}, updated_at = ? WHERE id = ?",
            (*values, to_db(at), case_id),
        )

    async def append(
        self,
        tx: Transaction,
        case_id: int,
        at: datetime,
        action: Action,
        officer_id: int | None = None,
        text: str = "",
        files: Iterable[FileRef] = (),
    ) -> int:
        """Add an event (and its files) to a case's log; the log is never edited."""
        event_id = await tx.execute(
            "INSERT INTO case_events (case_id, at, action, actor_officer_id, text)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, to_db(at), action.value, officer_id, text),
        )
        await tx.executemany(
            "INSERT INTO case_files (case_id, event_id, kind, ref, filename, size)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(case_id, event_id, f.kind, f.ref, f.filename, f.size) for f in files],
        )
        return event_id

    async def get(self, case_id: int) -> Case | None:
        row = await self.db.fetchone("SELECT * FROM cases WHERE id = ?", (case_id,))
        return None if row is None else await self._load(row)

    async def by_code(self, code: str) -> Case | None:
        row = await self.db.fetchone("SELECT * FROM cases WHERE code = ?", (code,))
        return None if row is None else await self._load(row)

    async def of_reporter(self, reporter: Recipient, limit: int = 20) -> list[Case]:
        rows = await self.db.fetchall(
            "SELECT * FROM cases WHERE reporter_channel = ? AND reporter_external_id = ?"
            " ORDER BY received_at DESC, id DESC LIMIT ?",
            (reporter.channel, reporter.external_id, limit),
        )
        return [await self._load(row) for row in rows]

    async def count_since(self, reporter: Recipient, since: datetime) -> int:
        count: int = await self.db.scalar(
            "SELECT COUNT(*) FROM cases WHERE reporter_channel = ? AND reporter_external_id = ?"
            " AND received_at >= ?",
            (reporter.channel, reporter.external_id, to_db(since)),
        )
        return count

    async def same_text_since(self, reporter: Recipient, text_hash: str, since: datetime) -> str:
        """The code of a recent case of this citizen with the same text, or ''."""
        code = await self.db.scalar(
            "SELECT code FROM cases WHERE reporter_channel = ? AND reporter_external_id = ?"
            " AND text_hash = ? AND received_at >= ? ORDER BY id DESC LIMIT 1",
            (reporter.channel, reporter.external_id, text_hash, to_db(since)),
        )
        return str(code or "")

    async def open_cases(self, where: CaseFilter, limit: int = 30) -> list[Case]:
        """Open cases matching the filter, the nearest deadline first."""
        clauses = ["status NOT IN ('resolved', 'rejected', 'transferred')"]
        params: list[object] = []
        clauses.append(f"kind IN ({', '.join('?' for _ in where.kinds)})")
        params += sorted(k.value for k in where.kinds)
        for column, value in (
            ("assignee_id = ?", where.assignee_id),
            ("due_on < ?", where.overdue_on.isoformat() if where.overdue_on else None),
            ("kind = ?", where.kind.value if where.kind else None),
            ("topic = ?", where.topic.value if where.topic else None),
            ("village_id = ?", where.village_id),
        ):
            if value is not None:
                clauses.append(column)
                params.append(value)
        rows = await self.db.fetchall(
            f"SELECT * FROM cases WHERE {' AND '.join(clauses)} ORDER BY due_on, id LIMIT ?",
            (*params, limit),
        )
        return [await self._load(row) for row in rows]

    async def events(self, case_id: int) -> list[Event]:
        rows = await self.db.fetchall(
            "SELECT e.*, COALESCE(o.name, '') AS officer_name FROM case_events e"
            " LEFT JOIN officers o ON o.id = e.actor_officer_id WHERE e.case_id = ? ORDER BY e.id",
            (case_id,),
        )
        files = await self._files("case_id = ?", case_id)
        return [
            Event(
                id=r["id"],
                case_id=r["case_id"],
                at=from_db(r["at"]),
                action=Action(r["action"]),
                actor_officer_id=r["actor_officer_id"],
                actor_name=r["officer_name"],
                text=r["text"],
                files=tuple(files.get(r["id"], ())),
            )
            for r in rows
        ]

    async def _files(self, where: str, value: int) -> dict[int, list[FileRef]]:
        rows = await self.db.fetchall(
            f"SELECT event_id, kind, ref, filename, size FROM case_files WHERE {where} ORDER BY id",
            (value,),
        )
        found: dict[int, list[FileRef]] = {}
        for r in rows:
            file = FileRef(r["kind"], r["ref"], r["filename"], r["size"])
            found.setdefault(r["event_id"], []).append(file)
        return found

    async def _load(self, row: sqlite3.Row) -> Case:
        first = await self.db.scalar(
            "SELECT MIN(id) FROM case_events WHERE case_id = ?", (row["id"],)
        )
        files = await self._files("event_id = ?", first) if first is not None else {}
        return _case(row, tuple(files.get(first, ())) if first is not None else ())


def _db_value(value: object) -> object:
    if isinstance(value, datetime):
        return to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _case(row: sqlite3.Row, attachments: tuple[FileRef, ...]) -> Case:
    reporter = (
        Recipient(row["reporter_channel"], row["reporter_external_id"])
        if row["reporter_channel"]
        else None
    )
    # Cleaned again on the way out: rows stored before names were cleaned on the way in.
    contact = (
        Contact(clean_line(row["contact_name"]), clean_line(row["contact_phone"]))
        if row["contact_name"]
        else None
    )
    location = Location(row["latitude"], row["longitude"]) if row["latitude"] is not None else None
    return Case(
        id=row["id"],
        code=row["code"],
        kind=Kind(row["kind"]),
        topic=Topic(row["topic"]),
        village_id=row["village_id"],
        description=row["description"],
        status=Status(row["status"]),
        reporter=reporter,
        contact=contact,
        anonymous=bool(row["anonymous"]),
        location=location,
        office=Role(row["office"]),
        assignee_id=row["assignee_id"],
        language=row["language"],
        received_at=from_db(row["received_at"]),
        accepted_at=from_db(row["accepted_at"]) if row["accepted_at"] else None,
        closed_at=from_db(row["closed_at"]) if row["closed_at"] else None,
        due_on=date.fromisoformat(row["due_on"]),
        rating=row["rating"],
        rating_comment=row["rating_comment"],
        attachments=attachments,
    )
