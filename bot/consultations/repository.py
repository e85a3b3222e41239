"""Consultations, answers and their events in SQLite.

An answer is one upsert on the (consultation, question, voter) unique key
plus an event row, in one `BEGIN IMMEDIATE` transaction that also re-reads the
consultation and the citizen: two presses, two devices or a press racing the
closing can neither make a second answer nor slip one in after closing.
Officers' reads are aggregates only (`tally`); who chose what is read solely
for the citizen's own /mydata (`answers_of`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.consultations import rules
from bot.consultations.answering import Batch, Outcome, Press, counted_in
from bot.consultations.model import (
    Comment,
    Consultation,
    Household,
    Kind,
    Moderation,
    Question,
    QuestionType,
    State,
    Tally,
    Voter,
)
from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment
from bot.outreach.audience import Audience

_EDITABLE = ("kind", "title", "summary", "questions", "document", "audience",
             "opens_at", "closes_at", "public_comments")  # fmt: skip


class ConsultationRepository:
    """One class for the consultation aggregate: its rows, answers, events and paper totals."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, author: Recipient, officer_id: int | None, **fields: Any) -> int:
        values = {k: _column(k, v) for k, v in fields.items()}
        names = ", ".join(("author_channel", "author_id", "officer_id", "created_at", *values))
        marks = ", ".join("?" * (4 + len(values)))
        return await self._db.execute(
            f"INSERT INTO consultations ({names}) VALUES ({marks})",
            (author.channel, author.external_id, officer_id, self._now(), *values.values()),
        )

    async def update_draft(self, consultation_id: int, **fields: Any) -> bool:
        values = {k: _column(k, v) for k, v in fields.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        async with self._db.transaction() as tx:
            await tx.execute(
                f"UPDATE consultations SET {assignments} WHERE id = ? AND state = 'draft'",
                (*values.values(), consultation_id),
            )
            return await _changed(tx)

    async def get(self, consultation_id: int) -> Consultation | None:
        row = await self._db.fetchone(
            "SELECT * FROM consultations WHERE id = ?", (consultation_id,)
        )
        return None if row is None else _consultation(row)

    async def listed(self, *states: State, limit: int = 20) -> list[Consultation]:
        """Consultations in `states`, the latest closing first."""
        marks = ", ".join("?" * len(states))
        rows = await self._db.fetchall(
            f"SELECT * FROM consultations WHERE state IN ({marks})"
            " ORDER BY closes_at DESC, id DESC LIMIT ?",
            (*states, limit),
        )
        return [_consultation(r) for r in rows]

    async def move(
        self, tx: Transaction, consultation_id: int, before: State, after: State, **fields: Any
    ) -> bool:
        """Change the state if it is still `before` (one statement: a second press is a no-op)."""
        values = {k: to_db(v) if isinstance(v, datetime) else v for k, v in fields.items()}
        extra = "".join(f", {name} = ?" for name in values)
        await tx.execute(
            f"UPDATE consultations SET state = ?{extra} WHERE id = ? AND state = ?",
            (after, *values.values(), consultation_id, before),
        )
        return await _changed(tx)

    async def set_fields(self, consultation_id: int, **fields: Any) -> None:
        allowed = {"closes_at", "reminded_at", "reported_at", "broadcast_id", "eligible"}
        if not set(fields) <= allowed:
            raise ValueError(f"cannot set {sorted(set(fields) - allowed)}")
        values = {k: to_db(v) if isinstance(v, datetime) else v for k, v in fields.items()}
        assignments = ", ".join(f"{name} = ?" for name in values)
        await self._db.execute(
            f"UPDATE consultations SET {assignments} WHERE id = ?",
            (*values.values(), consultation_id),
        )

    async def answer(
        self, consultation_id: int, citizen_id: int, option: int, question: int = 0
    ) -> int | None:
        """Store the citizen's choice; returns the value it replaced (None: a first answer).

        Raises ConsultationError with the reason when the answer is refused.
        """
        [outcome] = await self.answer_many([Press(consultation_id, citizen_id, question, option)])
        if isinstance(outcome, rules.ConsultationError):
            raise outcome
        return outcome.previous

    async def answer_many(self, presses: list[Press]) -> list[Outcome]:
        """Store several answers in one transaction (`answering.Batch`).

        Group commit: one fsync for all. A refused answer is refused before it
        writes anything, so it takes nothing else down with it.
        """
        async with self._db.transaction() as tx:
            return await Batch(tx, self._clock.now()).store(presses, _consultation_in)

    async def answer_text(
        self, consultation_id: int, citizen_id: int, question: int, text: str
    ) -> None:
        """Answer a free-comment question (or change that answer)."""
        press = Press(consultation_id, citizen_id, question, 0, text)
        [outcome] = await self.answer_many([press])
        if isinstance(outcome, rules.ConsultationError):
            raise outcome

    async def comment(
        self, consultation_id: int, citizen_id: int, text: str, question: int = 0
    ) -> None:
        """Attach a free comment to the citizen's (or household's) answer of `question`.

        A changed comment is moderated again: what officers answered was the old one.
        """
        now = self._clock.now()
        async with self._db.transaction() as tx:
            consultation, voter = await self._checked(tx, consultation_id, citizen_id)
            refusal = rules.timing_refusal(consultation, now)
            if refusal is not None:
                raise rules.ConsultationError(refusal)
            key = rules.voter_key(consultation.kind, voter)
            await tx.execute(
                "UPDATE consultation_answers SET comment = ?, updated_at = ?, moderation = 'new'"
                " WHERE consultation_id = ? AND question = ? AND voter = ?",
                (text, to_db(now), consultation_id, question, key),
            )
            if not await _changed(tx):
                raise rules.ConsultationError(rules.ANSWER_FIRST)
            village = counted_in(consultation.kind, voter)
            where = (consultation_id, key, village, citizen_id)
            await _event(tx, *where, "comment", (None, None), now, question)

    async def sign(self, consultation_id: int, citizen_id: int, question: int, on: bool) -> bool:
        """Sign (or unsign) the citizen's own comment with their name; False: no comment."""
        async with self._db.transaction() as tx:
            consultation, voter = await self._checked(tx, consultation_id, citizen_id)
            key = rules.voter_key(consultation.kind, voter)
            await tx.execute(
                "UPDATE consultation_answers SET signed = ? WHERE consultation_id = ?"
                " AND question = ? AND voter = ? AND comment IS NOT NULL",
                (int(on), consultation_id, question, key),
            )
            return await _changed(tx)

    async def my_answers(
        self, consultation_id: int, citizen_id: int
    ) -> dict[int, tuple[int, str | None]]:
        """The citizen's own answers to one consultation: question -> (value, comment)."""
        async with self._db.transaction() as tx:
            consultation, voter = await self._checked(tx, consultation_id, citizen_id)
            if consultation.kind is Kind.HOUSEHOLD and voter.household is None:
                return {}
            key = rules.voter_key(consultation.kind, voter)
            rows = await tx.fetchall(
                "SELECT question, option, comment FROM consultation_answers"
                " WHERE consultation_id = ? AND voter = ?",
                (consultation_id, key),
            )
        return {r[0]: (r[1], r[2]) for r in rows}

    async def _checked(
        self, tx: Transaction, consultation_id: int, citizen_id: int
    ) -> tuple[Consultation, Voter]:
        consultation = await _consultation_in(tx, consultation_id)
        voter = await _voter(tx, citizen_id, topics=True)
        if voter is None:
            raise rules.ConsultationError(rules.NOT_SUBSCRIBED)
        return consultation, voter

    async def tally(self, consultation_id: int, question: int = 0) -> Tally:
        """One question's counts by village and option, paper totals, comments: never a voter."""
        consultation = await self.get(consultation_id)
        if consultation is None:
            raise rules.ConsultationError(rules.NOT_FOUND)
        return (await self._tallies(consultation, (question,)))[0]

    async def tallies(self, consultation_id: int) -> tuple[Tally, ...]:
        """Every question's tally, in order."""
        consultation = await self.get(consultation_id)
        if consultation is None:
            raise rules.ConsultationError(rules.NOT_FOUND)
        return await self._tallies(consultation, range(len(consultation.questions)))

    async def _tallies(
        self, consultation: Consultation, wanted: Iterable[int]
    ) -> tuple[Tally, ...]:
        params = (consultation.id,)
        online = await self._db.fetchall(
            "SELECT question, village_id, option, COUNT(*), SUM(anonymised)"
            " FROM consultation_answers WHERE consultation_id = ?"
            " GROUP BY question, village_id, option",
            params,
        )
        paper = await self._db.fetchall(
            "SELECT question, village_id, option, count FROM consultation_paper"
            " WHERE consultation_id = ?",
            params,
        )
        comments = await self._comments(consultation.id)
        found = []
        for index in wanted:
            if not 0 <= index < len(consultation.questions):
                raise rules.ConsultationError(rules.BAD_OPTION)
            asked = consultation.questions[index]
            mine = [r[1:] for r in online if r[0] == index]
            found.append(
                Tally(
                    options=asked.options,
                    eligible=consultation.eligible,
                    online=_grid([r[:3] for r in mine], asked),
                    paper=_grid([r[1:] for r in paper if r[0] == index], asked),
                    comments=tuple(c for c in comments if c.question == index),
                    anonymised=sum(int(r[3] or 0) for r in mine),
                    respondents=sum(r[2] for r in mine),
                    question=asked,
                )
            )
        return tuple(found)

    async def _comments(self, consultation_id: int) -> list[Comment]:
        rows = await self._db.fetchall(
            "SELECT a.id, a.question, a.comment, a.moderation, a.response, a.case_id,"
            " CASE WHEN a.signed = 1 THEN c.display_name END AS signer"
            " FROM consultation_answers a LEFT JOIN citizens c ON c.id = a.citizen_id"
            " WHERE a.consultation_id = ? AND a.comment IS NOT NULL AND a.comment != ''"
            " ORDER BY a.updated_at, a.id",
            (consultation_id,),
        )
        return [_comment(r) for r in rows]

    async def comment_by_id(self, answer_id: int) -> tuple[int, Comment, int | None] | None:
        """(consultation id, the comment, its author's citizen id) for moderation.

        The author's id never leaves the domain: a case is opened in their name.
        """
        row = await self._db.fetchone(
            "SELECT a.consultation_id, a.citizen_id, a.id, a.question, a.comment, a.moderation,"
            " a.response, a.case_id, CASE WHEN a.signed = 1 THEN c.display_name END AS signer"
            " FROM consultation_answers a LEFT JOIN citizens c ON c.id = a.citizen_id"
            " WHERE a.id = ? AND a.comment IS NOT NULL AND a.comment != ''",
            (answer_id,),
        )
        if row is None:
            return None
        return row["consultation_id"], _comment(row), row["citizen_id"]

    async def moderate(
        self, answer_id: int, to: Moderation, officer_id: int, response: str | None = None,
        case_id: int | None = None,
    ) -> bool:  # fmt: skip
        """Record what the officers did with a comment; False if it is gone."""
        await self._db.execute(
            "UPDATE consultation_answers SET moderation = ?, response = COALESCE(?, response),"
            " case_id = COALESCE(?, case_id), moderated_by = ?, moderated_at = ? WHERE id = ?",
            (to.value, response, case_id, officer_id, self._now(), answer_id),
        )
        return bool(await self._db.scalar("SELECT changes()"))

    async def replayed(
        self, consultation_id: int, question: int = 0
    ) -> dict[tuple[str | None, int], int]:
        """One question's tally recomputed from the events alone: each voter's last value counts.

        Keys are (village, stored value): for a multiple choice the value is the bit set.
        """
        rows = await self._db.fetchall(
            "SELECT e.village_id, e.to_option, COUNT(*) FROM consultation_events e"
            " WHERE e.consultation_id = :c AND e.question = :q AND e.id = (SELECT MAX(l.id)"
            " FROM consultation_events l WHERE l.consultation_id = :c AND l.question = :q"
            " AND l.voter = e.voter AND l.event IN ('answer', 'withdraw'))"
            " AND e.to_option IS NOT NULL GROUP BY e.village_id, e.to_option",
            {"c": consultation_id, "q": question},
        )
        return {(r[0], r[1]): r[2] for r in rows}

    async def live(
        self, consultation_id: int, question: int = 0
    ) -> dict[tuple[str | None, int], int]:
        """The live answers of one question as `replayed` counts them, to compare the two."""
        rows = await self._db.fetchall(
            "SELECT village_id, option, COUNT(*) FROM consultation_answers"
            " WHERE consultation_id = ? AND question = ? GROUP BY village_id, option",
            (consultation_id, question),
        )
        return {(r[0], r[1]): r[2] for r in rows}

    async def enter_paper(
        self,
        consultation_id: int,
        village_id: str,
        counts: list[int],
        note: str,
        officer_id: int | None,
        question: int = 0,
    ) -> None:
        """Set a village's paper-ballot totals for a question (replacing an earlier entry)."""
        at = self._now()
        async with self._db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO consultation_paper (consultation_id, question, village_id, option,"
                " count, note, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO"
                " UPDATE SET count = excluded.count, note = excluded.note,"
                " officer_id = excluded.officer_id, at = excluded.at",
                [
                    (consultation_id, question, village_id, i, n, note, officer_id, at)
                    for i, n in enumerate(counts)
                ],
            )

    async def paper_notes(self, consultation_id: int) -> list[tuple[str, str]]:
        rows = await self._db.fetchall(
            "SELECT DISTINCT village_id, note FROM consultation_paper"
            " WHERE consultation_id = ? AND note != '' ORDER BY village_id",
            (consultation_id,),
        )
        return [(r[0], r[1]) for r in rows]

    def participants_sql(self, consultation_id: int) -> tuple[str, dict[str, Any]]:
        """A SELECT of (channel, external_id) of whoever answered online: told the result."""
        return (
            "SELECT DISTINCT c.channel, c.external_id FROM consultation_answers a"
            " JOIN citizens c ON c.id = a.citizen_id WHERE a.consultation_id = :pid"
            " AND c.blocked = 0",
            {"pid": consultation_id},
        )

    async def mark_reported(self, tx: Transaction, consultation_id: int, at: datetime) -> bool:
        """Claim the telling of the result: True for the one caller who gets to do it."""
        await tx.execute(
            "UPDATE consultations SET reported_at = ? WHERE id = ? AND state = 'closed'"
            " AND reported_at IS NULL",
            (to_db(at), consultation_id),
        )
        return await _changed(tx)

    async def mark_reminded(self, tx: Transaction, consultation_id: int, at: datetime) -> bool:
        await tx.execute(
            "UPDATE consultations SET reminded_at = ? WHERE id = ? AND state = 'open'"
            " AND reminded_at IS NULL",
            (to_db(at), consultation_id),
        )
        return await _changed(tx)

    def not_answered_sql(self, consultation: Consultation) -> tuple[str, dict[str, Any]]:
        """A SELECT of (channel, external_id) of the audience who have not answered yet
        and have not turned reminders off; for a household decision, its representatives."""
        select, params = consultation.audience.sql()
        household = consultation.kind is Kind.HOUSEHOLD
        key = "'h:' || h.id" if household else "'c:' || c.id"
        sql = (
            f"SELECT r.channel, r.external_id FROM ({select}) r JOIN citizens c"
            " ON c.channel = r.channel AND c.external_id = r.external_id"
            + (" JOIN households h ON h.citizen_id = c.id" if household else "")
            + " WHERE NOT EXISTS (SELECT 1 FROM consultation_prefs p WHERE p.citizen_id = c.id"
            " AND p.reminders = 0) AND NOT EXISTS (SELECT 1 FROM consultation_answers a"
            f" WHERE a.consultation_id = :cid AND a.voter = {key})"
        )
        return sql, {**params, "cid": consultation.id}

    async def answers_of(self, citizen_id: int) -> list[tuple[Consultation, str, str | None]]:
        """The citizen's own answers (consultation, answer in words, comment), for /mydata."""
        rows = await self._db.fetchall(
            "SELECT a.option, a.comment, a.question AS asked, k.* FROM consultation_answers a"
            " JOIN consultations k ON k.id = a.consultation_id WHERE a.citizen_id = ?"
            " ORDER BY k.id, a.question",
            (citizen_id,),
        )
        found = []
        for row in rows:
            consultation = _consultation(row)
            if not 0 <= row["asked"] < len(consultation.questions):
                continue
            asked = consultation.questions[row["asked"]]
            label = asked.describe(row[0], row[1])
            if len(consultation.questions) > 1:
                label = f"{asked.text} — {label}"
            comment = None if asked.type is QuestionType.COMMENT else row[1]
            found.append((consultation, label, comment))
        return found

    async def erase_citizen(self, citizen_id: int) -> int:
        """Unlink the citizen from every answer; returns how many answers were theirs.

        A closed consultation keeps the answer in its count, marked anonymised,
        so a published result never changes. In an open one the answer is
        withdrawn: kept, the citizen could answer again and be counted twice.
        """
        now = self._clock.now()
        async with self._db.transaction() as tx:
            rows = await tx.fetchall(
                "SELECT a.consultation_id, a.question, a.voter, a.option, a.village_id, k.state"
                " FROM consultation_answers a"
                " JOIN consultations k ON k.id = a.consultation_id WHERE a.citizen_id = ?",
                (citizen_id,),
            )
            for row in rows:
                await self._unlink(tx, row, now)
            await tx.execute(
                "UPDATE consultation_events SET citizen_id = NULL WHERE citizen_id = ?",
                (citizen_id,),
            )
            await tx.execute("DELETE FROM households WHERE citizen_id = ?", (citizen_id,))
            await tx.execute("DELETE FROM consultation_prefs WHERE citizen_id = ?", (citizen_id,))
        return len(rows)

    async def _unlink(self, tx: Transaction, answer: sqlite3.Row, now: datetime) -> None:
        consultation_id, voter = answer["consultation_id"], answer["voter"]
        params = {"c": consultation_id, "v": voter}
        if answer["state"] == State.OPEN:
            await tx.execute(
                "DELETE FROM consultation_answers WHERE consultation_id = :c AND voter = :v"
                " AND question = :q",
                {**params, "q": answer["question"]},
            )
            change = (answer["option"], None)
            village = answer["village_id"]
            await _event(
                tx, consultation_id, voter, village, None, "withdraw", change, now,
                answer["question"],
            )  # fmt: skip
            return
        # A key that names nobody: the next free 'a:<n>' of this consultation.
        anonymous = "a:" + str(
            await _scalar(
                tx,
                "SELECT COUNT(DISTINCT voter) + 1 FROM consultation_answers"
                " WHERE consultation_id = ? AND voter LIKE 'a:%'",
                (consultation_id,),
            )
        )
        for table in ("consultation_answers", "consultation_events"):
            await tx.execute(
                f"UPDATE {table} SET voter = :a, citizen_id = NULL"
                + (
                    ", comment = NULL, signed = 0, anonymised = 1"
                    if table == "consultation_answers"
                    else ""
                )
                + " WHERE consultation_id = :c AND voter = :v",
                {**params, "a": anonymous},
            )

    # Households and reminder preferences: the citizen's declarations in /settings.
    async def declare_household(
        self, citizen_id: int, name: str, address: str, village_id: str | None
    ) -> Household:
        now = self._now()
        await self._db.execute(
            "INSERT INTO households (citizen_id, name, address, village_id, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (citizen_id) DO UPDATE SET name = excluded.name,"
            " address = excluded.address, village_id = excluded.village_id,"
            " updated_at = excluded.updated_at",
            (citizen_id, name, address, village_id, now, now),
        )
        found = await self.household_of(citizen_id)
        assert found is not None
        return found

    async def household_of(self, citizen_id: int) -> Household | None:
        row = await self._db.fetchone(
            "SELECT * FROM households WHERE citizen_id = ?", (citizen_id,)
        )
        return None if row is None else _household(row)

    async def set_reminders(self, citizen_id: int, wanted: bool) -> None:
        await self._db.execute(
            "INSERT INTO consultation_prefs (citizen_id, reminders) VALUES (?, ?)"
            " ON CONFLICT (citizen_id) DO UPDATE SET reminders = excluded.reminders",
            (citizen_id, int(wanted)),
        )

    async def wants_reminders(self, citizen_id: int) -> bool:
        found = await self._db.scalar(
            "SELECT reminders FROM consultation_prefs WHERE citizen_id = ?", (citizen_id,)
        )
        return found is None or bool(found)

    async def held_between(self, start: datetime, end: datetime) -> list[Consultation]:
        """Consultations closed in [start, end), for the periodic report."""
        rows = await self._db.fetchall(
            "SELECT * FROM consultations WHERE state = 'closed' AND closed_at >= ? AND closed_at < ?"
            " ORDER BY closed_at",
            (to_db(start), to_db(end)),
        )
        return [_consultation(r) for r in rows]

    def _now(self) -> str:
        return to_db(self._clock.now())


async def _consultation_in(tx: Transaction, consultation_id: int) -> Consultation:
    row = await tx.fetchone("SELECT * FROM consultations WHERE id = ?", (consultation_id,))
    if row is None:
        raise rules.ConsultationError(rules.NOT_FOUND)
    return _consultation(row)


async def _voter(tx: Transaction, citizen_id: int, *, topics: bool) -> Voter | None:
    """The citizen as the rules need them; their topics only when the audience is by topic."""
    row = await tx.fetchone(
        "SELECT c.id, c.village_id, c.subscribed, c.blocked, h.id AS hid, h.name, h.address,"
        " h.village_id AS hvillage FROM citizens c LEFT JOIN households h ON h.citizen_id = c.id"
        " WHERE c.id = ?",
        (citizen_id,),
    )
    if row is None:
        return None
    followed = []
    if topics:
        followed = await tx.fetchall(
            "SELECT topic_id FROM citizen_topics WHERE citizen_id = ?", (citizen_id,)
        )
    household = None
    if row["hid"] is not None:
        household = Household(row["hid"], citizen_id, row["name"], row["address"], row["hvillage"])
    return Voter(
        citizen_id=citizen_id,
        village_id=row["village_id"],
        subscribed=bool(row["subscribed"]),
        blocked=bool(row["blocked"]),
        topics=frozenset(t[0] for t in followed),
        household=household,
    )


async def _event(
    tx: Transaction, consultation_id: int, voter: str, village_id: str | None,
    citizen_id: int | None, event: str, change: tuple[int | None, int | None], at: datetime,
    question: int = 0,
) -> None:  # fmt: skip
    await tx.execute(
        "INSERT INTO consultation_events (consultation_id, question, voter, citizen_id,"
        " village_id, at, event, from_option, to_option) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (consultation_id, question, voter, citizen_id, village_id, to_db(at), event, *change),
    )


async def _scalar(tx: Transaction, sql: str, params: Any) -> Any:
    row = await tx.fetchone(sql, params)
    return None if row is None else row[0]


async def _changed(tx: Transaction) -> bool:
    return bool(await _scalar(tx, "SELECT changes()", ()))


def _grid(rows: list[Any], question: Question) -> dict[str | None, tuple[int, ...]]:
    """(village, stored value, count) rows as counts per village and option."""
    width = len(question.options)
    grid: dict[str | None, list[int]] = {}
    for village, value, count in rows:
        for option in question.chosen(value):
            grid.setdefault(village, [0] * width)[option] += count
    return {k: tuple(v) for k, v in grid.items()}


def _comment(row: sqlite3.Row) -> Comment:
    return Comment(
        id=row["id"],
        question=row["question"],
        text=row["comment"],
        moderation=Moderation(row["moderation"]),
        response=row["response"],
        signer=row["signer"],
        case_id=row["case_id"],
    )


def _column(name: str, value: Any) -> Any:
    if name not in _EDITABLE:
        raise ValueError(f"cannot set {name}")
    if isinstance(value, Attachment):
        return json.dumps(asdict(value), ensure_ascii=False)
    if name == "questions":
        return json.dumps([_question_json(q) for q in value], ensure_ascii=False)
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, Audience):
        return str(value)
    if isinstance(value, datetime):
        return to_db(value)
    return value


def _consultation(row: sqlite3.Row) -> Consultation:
    def moment(name: str) -> datetime | None:
        return from_db(row[name]) if row[name] else None

    document = json.loads(row["document"]) if row["document"] else None
    return Consultation(
        id=row["id"],
        kind=Kind(row["kind"]),
        state=State(row["state"]),
        title=row["title"],
        summary=row["summary"],
        questions=tuple(
            Question(QuestionType(q["type"]), q["text"], tuple(q["options"]))
            for q in json.loads(row["questions"])
        ),
        audience=Audience.parse(row["audience"]),
        opens_at=moment("opens_at"),
        closes_at=moment("closes_at"),
        eligible=row["eligible"],
        author=Recipient(row["author_channel"], row["author_id"]),
        officer_id=row["officer_id"],
        broadcast_id=row["broadcast_id"],
        created_at=from_db(row["created_at"]),
        document=Attachment(**document) if document else None,
        closed_at=moment("closed_at"),
        reminded_at=moment("reminded_at"),
        reported_at=moment("reported_at"),
        public_comments=bool(row["public_comments"]),
    )


def _question_json(question: Question) -> dict[str, Any]:
    return {"type": question.type.value, "text": question.text, "options": list(question.options)}


def _household(row: sqlite3.Row) -> Household:
    return Household(row["id"], row["citizen_id"], row["name"], row["address"], row["village_id"])
