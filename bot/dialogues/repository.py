"""Dialogues, their questions and "me too" presses in SQLite.

A question is numbered and stored in one `BEGIN IMMEDIATE` transaction that
re-reads the event, so a question racing the closing time is either in
before it or refused; a "me too" is one row under the (question, citizen)
key, so a second press from any device adds nothing. Officers read a
question's asker only when it was signed (`_QUESTIONS`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.cases.model import Topic
from bot.core.clock import Clock, from_db, to_db
from bot.core.config import LANGUAGES
from bot.core.db import Database, Transaction
from bot.dialogues import rules
from bot.dialogues.model import Dialogue, Kind, NewQuestion, Question, State
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience

_EDITABLE = frozenset(
    {"title", "starts_at", "place", "attendees", "audience", "questions_close_at"}
)

# The asker's name only when they signed: an anonymous question has no name to leak.
_QUESTIONS = """
SELECT q.id, q.dialogue_id, q.number, q.text, q.voice, q.topic, q.anonymous, q.public,
       CASE WHEN q.anonymous = 0 THEN c.display_name END AS asker, q.citizen_id,
       (SELECT COUNT(*) FROM dialogue_support s WHERE s.question_id = q.id) AS supporters,
       (SELECT l.number FROM dialogue_questions l WHERE l.id = q.group_lead) AS lead,
       q.at_meeting, q.answer, q.answered_at,
       (SELECT k.code FROM cases k WHERE k.id = q.case_id) AS case_code
FROM dialogue_questions q LEFT JOIN citizens c ON c.id = q.citizen_id
"""


@dataclass(frozen=True)
class Asker:
    recipient: Recipient
    language: str
    village_id: str | None


class DialogueRepository:
    """One class for the dialogue aggregate: the event, its questions and their support."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, author: Recipient, officer_id: int | None, kind: Kind) -> int:
        return await self._db.execute(
            "INSERT INTO dialogues (kind, author_channel, author_id, officer_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (kind.value, author.channel, author.external_id, officer_id, self._now()),
        )

    async def get(self, dialogue_id: int) -> Dialogue | None:
        row = await self._db.fetchone("SELECT * FROM dialogues WHERE id = ?", (dialogue_id,))
        return None if row is None else _dialogue(row)

    async def update_draft(self, dialogue_id: int, **fields: Any) -> bool:
        unknown = set(fields) - _EDITABLE
        if unknown:
            raise ValueError(f"not a field of a draft: {sorted(unknown)}")
        values = {k: _column(v) for k, v in fields.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE dialogues SET {assignments} WHERE id = ? AND state = 'draft'",
                (*values.values(), dialogue_id),
            )
            return await _changed(tx)

    async def set_fields(self, dialogue_id: int, **fields: Any) -> None:
        values = {k: _column(v) for k, v in fields.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        await self._db.execute(
            f"UPDATE dialogues SET {assignments} WHERE id = ?", (*values.values(), dialogue_id)
        )

    async def move(
        self, tx: Transaction, dialogue_id: int, before: State, after: State, **fields: Any
    ) -> bool:
        """Change the state if it is still `before` (one statement: a second press is a no-op)."""
        values = {k: _column(v) for k, v in fields.items()}
        extra = "".join(f", {name} = ?" for name in values)
        await tx.execute(
            f"UPDATE dialogues SET state = ?{extra} WHERE id = ? AND state = ?",
            (after.value, *values.values(), dialogue_id, before.value),
        )
        return await _changed(tx)

    async def mark_closed_told(self, tx: Transaction, dialogue_id: int, now: datetime) -> bool:
        """Mark that the author was told questions closed; False if already marked."""
        await tx.execute(
            "UPDATE dialogues SET closed_told_at = ? WHERE id = ? AND closed_told_at IS NULL",
            (to_db(now), dialogue_id),
        )
        return await _changed(tx)

    async def listed(self, *states: State, limit: int = 20) -> list[Dialogue]:
        """Events in `states`, the latest meeting first."""
        marks = ", ".join("?" * len(states))
        rows = await self._db.fetchall(
            f"SELECT * FROM dialogues WHERE state IN ({marks})"
            " ORDER BY starts_at DESC, id DESC LIMIT ?",
            (*states, limit),
        )
        return [_dialogue(r) for r in rows]

    async def add_question(
        self, tx: Transaction, dialogue_id: int, citizen_id: int, new: NewQuestion
    ) -> int:
        """Store the question if the event still takes questions and the citizen has not
        sent the most one may; returns its number.

        Raises DialogueError with the reason otherwise; the caller's
        transaction (BEGIN IMMEDIATE) keeps the check and the insert together.
        """
        row = await tx.fetchone("SELECT * FROM dialogues WHERE id = ?", (dialogue_id,))
        if row is None:
            raise rules.DialogueError(rules.NOT_FOUND)
        refusal = rules.ask_refusal(_dialogue(row), self._clock.now())
        if refusal is not None:
            raise rules.DialogueError(refusal)
        mine = await tx.fetchone(
            "SELECT COUNT(*) FROM dialogue_questions WHERE dialogue_id = ? AND citizen_id = ?",
            (dialogue_id, citizen_id),
        )
        if mine is not None and mine[0] >= rules.MAX_QUESTIONS:
            raise rules.DialogueError(rules.TOO_MANY, n=rules.MAX_QUESTIONS)
        found = await tx.fetchone(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM dialogue_questions WHERE dialogue_id = ?",
            (dialogue_id,),
        )
        number = int(found[0]) if found else 1
        await tx.execute(
            "INSERT INTO dialogue_questions (dialogue_id, number, citizen_id, text, voice, topic,"
            " anonymous, public, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (dialogue_id, number, citizen_id, new.text, new.voice, new.topic.value,
             int(new.anonymous), int(new.public), self._now()),
        )  # fmt: skip
        return number

    async def count_of(self, dialogue_id: int, citizen_id: int) -> int:
        """How many questions the citizen sent to the event."""
        found = await self._db.scalar(
            "SELECT COUNT(*) FROM dialogue_questions WHERE dialogue_id = ? AND citizen_id = ?",
            (dialogue_id, citizen_id),
        )
        return int(found or 0)

    async def questions(self, dialogue_id: int) -> list[Question]:
        rows = await self._db.fetchall(
            _QUESTIONS + " WHERE q.dialogue_id = ? ORDER BY q.number", (dialogue_id,)
        )
        return [_question(r) for r in rows]

    async def question(self, question_id: int) -> Question | None:
        row = await self._db.fetchone(_QUESTIONS + " WHERE q.id = ?", (question_id,))
        return None if row is None else _question(row)

    async def asker_names(self, question_ids: Sequence[int]) -> dict[int, str]:
        """The askers' names, signed or not: only to mask them out of what is made public."""
        marks = ", ".join("?" * len(question_ids))
        rows = await self._db.fetchall(
            "SELECT q.id, c.display_name FROM dialogue_questions q JOIN citizens c"
            f" ON c.id = q.citizen_id WHERE q.id IN ({marks})",
            tuple(question_ids),
        )
        return {int(r[0]): r[1] or "" for r in rows}

    async def questions_of(self, citizen_id: int) -> list[tuple[str, Question]]:
        """The citizen's own questions with their event's title, for /mydata."""
        rows = await self._db.fetchall(
            _QUESTIONS.replace("SELECT q.id,", "SELECT d.title AS event, q.id,")
            + " JOIN dialogues d ON d.id = q.dialogue_id WHERE q.citizen_id = ? ORDER BY q.id",
            (citizen_id,),
        )
        return [(r["event"], _question(r)) for r in rows]

    async def support(self, question_id: int, citizen_id: int) -> bool:
        """Add the citizen's "me too" once; False if they had already."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO dialogue_support (question_id, citizen_id, at) VALUES (?, ?, ?)"
                " ON CONFLICT (question_id, citizen_id) DO NOTHING",
                (question_id, citizen_id, self._now()),
            )
            return await _changed(tx)

    async def group(self, dialogue_id: int, lead: int, numbers: Sequence[int]) -> None:
        """Put the questions `numbers` (and the groups they lead) under question `lead`."""
        params = {"d": dialogue_id, "lead": lead, **{f"n{i}": n for i, n in enumerate(numbers)}}
        marks = ", ".join(f":n{i}" for i in range(len(numbers)))
        lead_id = "(SELECT id FROM dialogue_questions WHERE dialogue_id = :d AND number = :lead)"
        await self._db.execute(
            f"UPDATE dialogue_questions SET group_lead = CASE WHEN id = {lead_id} THEN NULL"
            f" ELSE {lead_id} END WHERE dialogue_id = :d AND (number IN ({marks})"
            " OR group_lead IN (SELECT id FROM dialogue_questions"
            f" WHERE dialogue_id = :d AND number IN ({marks})))",
            params,
        )

    async def ungroup(self, dialogue_id: int, number: int) -> None:
        """Take question `number` out of its group; if it leads one, end that group."""
        await self._db.execute(
            "UPDATE dialogue_questions SET group_lead = NULL WHERE dialogue_id = :d"
            " AND (number = :n OR group_lead = (SELECT id FROM dialogue_questions"
            " WHERE dialogue_id = :d AND number = :n))",
            {"d": dialogue_id, "n": number},
        )

    async def toggle_meeting(self, dialogue_id: int, numbers: Sequence[int]) -> None:
        marks = ", ".join("?" * len(numbers))
        await self._db.execute(
            "UPDATE dialogue_questions SET at_meeting = 1 - at_meeting"
            f" WHERE dialogue_id = ? AND number IN ({marks})",
            (dialogue_id, *numbers),
        )

    async def record_answer(
        self, tx: Transaction, question_ids: Sequence[int], answer: str
    ) -> list[int]:
        """Store the answer on the questions not answered yet, while their event is not
        finished (a finish racing the answer made them cases); returns the ids it went on."""
        marks = ", ".join("?" * len(question_ids))
        rows = await tx.fetchall(
            f"SELECT q.id FROM dialogue_questions q JOIN dialogues d ON d.id = q.dialogue_id"
            f" WHERE q.id IN ({marks}) AND q.answer IS NULL AND d.state = 'open'",
            tuple(question_ids),
        )
        ids = [int(r[0]) for r in rows]
        if ids:
            await tx.execute(
                "UPDATE dialogue_questions SET answer = ?, answered_at = ?"
                f" WHERE id IN ({', '.join('?' * len(ids))})",
                (answer, self._now(), *ids),
            )
        return ids

    async def unanswered(self, tx: Transaction, dialogue_id: int) -> set[int]:
        """The ids of the event's questions without an answer or a case, read in `tx`."""
        rows = await tx.fetchall(
            "SELECT id FROM dialogue_questions WHERE dialogue_id = ? AND answer IS NULL"
            " AND case_id IS NULL",
            (dialogue_id,),
        )
        return {int(r[0]) for r in rows}

    async def set_case(self, tx: Transaction, question_id: int, case_id: int) -> None:
        await tx.execute(
            "UPDATE dialogue_questions SET case_id = ? WHERE id = ?", (case_id, question_id)
        )

    async def asker(self, tx: Transaction, question_id: int) -> Asker | None:
        """Who asked (whatever they chose to show officers), to open their case and tell them."""
        row = await tx.fetchone(
            "SELECT c.channel, c.external_id, c.language, c.village_id FROM dialogue_questions q"
            " JOIN citizens c ON c.id = q.citizen_id WHERE q.id = ?",
            (question_id,),
        )
        return None if row is None else Asker(Recipient(row[0], row[1]), row[2], row[3])

    def _now(self) -> str:
        return to_db(self._clock.now())


def askers_sql(question_ids: Sequence[int]) -> tuple[str, dict[str, object]]:
    """A SELECT of (channel, external_id) of everyone who asked or said "me too" to the
    questions, once each, who has not blocked the bot."""
    params: dict[str, object] = {f"q{i}": q for i, q in enumerate(question_ids)}
    marks = ", ".join(f":{k}" for k in params)
    sql = (
        "SELECT DISTINCT c.channel, c.external_id FROM citizens c WHERE c.blocked = 0"
        f" AND c.id IN (SELECT citizen_id FROM dialogue_questions WHERE id IN ({marks})"
        f" UNION SELECT citizen_id FROM dialogue_support WHERE question_id IN ({marks}))"
    )
    return sql, params


def in_language(
    select: str, params: dict[str, object], language: str, default: str
) -> tuple[str, dict[str, object]]:
    """Narrow a SELECT of (channel, external_id) to the citizens who read `language`
    (and, for the default language, those whose language the bot does not know)."""
    known = ", ".join(f"'{x}'" for x in LANGUAGES)
    other = f" OR l.language NOT IN ({known})" if language == default else ""
    sql = (
        f"SELECT s.channel, s.external_id FROM ({select}) s JOIN citizens l"
        f" ON l.channel = s.channel AND l.external_id = s.external_id"
        f" WHERE l.language = :language{other}"
    )
    return sql, {**params, "language": language}


def _column(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_db(value)
    if isinstance(value, Audience):
        return str(value)
    return value


async def _changed(tx: Transaction) -> bool:
    row = await tx.fetchone("SELECT changes()")
    return bool(row and row[0])


def _when(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)


def _dialogue(row: sqlite3.Row) -> Dialogue:
    return Dialogue(
        id=row["id"],
        kind=Kind(row["kind"]),
        state=State(row["state"]),
        title=row["title"],
        starts_at=_when(row["starts_at"]),
        place=row["place"],
        attendees=row["attendees"],
        audience=Audience.parse(row["audience"]),
        questions_close_at=_when(row["questions_close_at"]),
        author=Recipient(row["author_channel"], row["author_id"]),
        officer_id=row["officer_id"],
        broadcast_id=row["broadcast_id"],
        news_id=row["news_id"],
        created_at=from_db(row["created_at"]),
        finished_at=_when(row["finished_at"]),
    )


def _question(row: sqlite3.Row) -> Question:
    return Question(
        id=row["id"],
        dialogue_id=row["dialogue_id"],
        number=row["number"],
        text=row["text"],
        voice=row["voice"],
        topic=Topic(row["topic"]),
        anonymous=bool(row["anonymous"]),
        public=bool(row["public"]),
        asker=row["asker"],
        citizen_id=row["citizen_id"],
        supporters=row["supporters"],
        group_lead=row["lead"],
        at_meeting=bool(row["at_meeting"]),
        answer=row["answer"],
        answered_at=_when(row["answered_at"]),
        case_code=row["case_code"],
    )
