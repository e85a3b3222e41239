"""Storing a batch of answers in one transaction with a fixed number of statements.

At a village meeting hundreds press within seconds. Each statement is a
round trip to SQLite's thread, so a batch is read in three queries (its
consultations, its voters, their current answers), decided in Python in the
order the presses came (a voter pressing twice in one batch changes their
own answer), and written with two `executemany` calls (the answers, the
events), whatever its size. The rules are the same as for a single press:
a refused press writes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.consultations import rules
from bot.consultations.model import Consultation, Household, Kind, QuestionType, Voter
from bot.core.clock import to_db
from bot.core.db import Transaction
from bot.messaging.channels import Recipient
from bot.outreach.audience import TOPICS

Who = int | Recipient  # a citizen's id, or who pressed (resolved inside the transaction)
Reader = Callable[[Transaction, int], Awaitable[Consultation]]  # raises NOT_FOUND


@dataclass(frozen=True)
class Press:
    """One answer to store: `text` answers a free-comment question."""

    consultation_id: int
    who: Who
    question: int
    option: int
    text: str | None = None


@dataclass(frozen=True)
class Answered:
    """What a stored press replaced (None: a first answer), and what it answered."""

    previous: int | None
    consultation: Consultation


Outcome = Answered | rules.ConsultationError

_UPSERT = (
    "INSERT INTO consultation_answers (consultation_id, question, voter, citizen_id, village_id,"
    " option, comment, answered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (consultation_id, question, voter) DO UPDATE SET option = excluded.option,"
    " citizen_id = excluded.citizen_id, updated_at = excluded.updated_at,"
    " comment = COALESCE(excluded.comment, comment),"
    " moderation = CASE WHEN excluded.comment IS NULL THEN moderation ELSE 'new' END"
)
_EVENT = (
    "INSERT INTO consultation_events (consultation_id, question, voter, citizen_id,"
    " village_id, at, event, from_option, to_option) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_VOTER = (
    "SELECT c.id, c.channel, c.external_id, c.village_id, c.subscribed, c.blocked,"
    " h.id AS hid, h.name, h.address, h.village_id AS hvillage"
    " FROM citizens c LEFT JOIN households h ON h.citizen_id = c.id"
)


class Batch:
    """One transaction's presses: read once, decided in order, written at once."""

    def __init__(self, tx: Transaction, now: datetime) -> None:
        self._tx, self._now = tx, now
        self._current: dict[tuple[int, int, str], int] = {}
        self._answers: list[tuple[Any, ...]] = []
        self._events: list[tuple[Any, ...]] = []

    async def store(self, presses: list[Press], read: Reader) -> list[Outcome]:
        """Decide every press (`read` gives a consultation by id or raises), then write."""
        consultations: dict[int, Consultation | rules.ConsultationError] = {}
        for consultation_id in {p.consultation_id for p in presses}:
            try:
                consultations[consultation_id] = await read(self._tx, consultation_id)
            except rules.ConsultationError as exc:
                consultations[consultation_id] = exc
        topics = any(
            isinstance(c, Consultation) and c.audience.kind == TOPICS
            for c in consultations.values()
        )
        voters = await _voters(self._tx, [p.who for p in presses], topics=topics)
        await self._read_current(consultations, voters)
        outcomes: list[Outcome] = []
        for press in presses:
            found = consultations[press.consultation_id]
            try:
                if isinstance(found, rules.ConsultationError):
                    raise found
                outcomes.append(self._decide(press, found, voters.get(press.who)))
            except rules.ConsultationError as exc:
                outcomes.append(exc)
        await self._tx.executemany(_UPSERT, self._answers)
        await self._tx.executemany(_EVENT, self._events)
        return outcomes

    async def _read_current(self, consultations: dict[int, Any], voters: dict[Who, Voter]) -> None:
        """The answers the batch's voters have now, in one query per consultation."""
        keys = sorted({f"c:{v.citizen_id}" for v in voters.values()}
                      | {f"h:{v.household.id}" for v in voters.values() if v.household})  # fmt: skip
        for consultation_id in consultations:
            if not keys:
                return
            marks = ", ".join("?" * len(keys))
            rows = await self._tx.fetchall(
                "SELECT question, voter, option FROM consultation_answers"
                f" WHERE consultation_id = ? AND voter IN ({marks})",
                (consultation_id, *keys),
            )
            for question, voter, option in rows:
                self._current[(consultation_id, question, voter)] = option

    def _decide(self, press: Press, consultation: Consultation, voter: Voter | None) -> Answered:
        """The press checked against the rules, and its rows queued; raises the refusal."""
        if voter is None:
            raise rules.ConsultationError(rules.NOT_SUBSCRIBED)
        refusal = rules.answer_refusal(consultation, voter, press.question, press.option, self._now)
        if refusal is not None:
            raise rules.ConsultationError(refusal)
        asked = consultation.questions[press.question]
        if (asked.type is QuestionType.COMMENT) != (press.text is not None):
            raise rules.ConsultationError(rules.BAD_OPTION)
        key = rules.voter_key(consultation.kind, voter)
        slot = (consultation.id, press.question, key)
        previous = self._current.get(slot)
        value = press.option
        if asked.type is QuestionType.MULTIPLE:  # a press toggles one option of the set
            value = (previous or 0) ^ (1 << press.option)
        elif asked.type is QuestionType.COMMENT:
            value = 0
        self._current[slot] = value
        village, at = counted_in(consultation.kind, voter), to_db(self._now)
        where = (consultation.id, press.question, key, voter.citizen_id, village)
        self._answers.append((*where, value, press.text, at, at))
        if previous != value:  # pressing the same button again changes nothing
            self._events.append((*where, at, "answer", previous, value))
        if press.text is not None and previous is not None:
            self._events.append((*where, at, "comment", None, None))
        return Answered(previous, consultation)


async def _voters(tx: Transaction, who: list[Who], *, topics: bool) -> dict[Who, Voter]:
    """The batch's citizens as the rules need them, by id or by who pressed."""
    ids = sorted({w for w in who if isinstance(w, int)})
    recipients = sorted({(w.channel, w.external_id) for w in who if isinstance(w, Recipient)})
    rows = []
    if ids:
        marks = ", ".join("?" * len(ids))
        rows += await tx.fetchall(f"{_VOTER} WHERE c.id IN ({marks})", ids)
    if recipients:
        pairs = ", ".join("(?, ?)" for _ in recipients)
        flat = [part for pair in recipients for part in pair]
        rows += await tx.fetchall(
            f"{_VOTER} WHERE (c.channel, c.external_id) IN (VALUES {pairs})", flat
        )
    followed: dict[int, set[str]] = {}
    if topics and rows:
        marks = ", ".join("?" * len(rows))
        for citizen_id, topic in await tx.fetchall(
            f"SELECT citizen_id, topic_id FROM citizen_topics WHERE citizen_id IN ({marks})",
            [r["id"] for r in rows],
        ):
            followed.setdefault(citizen_id, set()).add(topic)
    found: dict[Who, Voter] = {}
    for row in rows:
        voter = _voter(row, frozenset(followed.get(row["id"], ())))
        found[row["id"]] = found[Recipient(row["channel"], row["external_id"])] = voter
    return found


def _voter(row: Any, topics: frozenset[str]) -> Voter:
    household = None
    if row["hid"] is not None:
        household = Household(row["hid"], row["id"], row["name"], row["address"], row["hvillage"])
    return Voter(
        citizen_id=row["id"],
        village_id=row["village_id"],
        subscribed=bool(row["subscribed"]),
        blocked=bool(row["blocked"]),
        topics=topics,
        household=household,
    )


def counted_in(kind: Kind, voter: Voter) -> str | None:
    """Where an answer is counted: the household's village for a household decision."""
    if kind is Kind.HOUSEHOLD and voter.household and voter.household.village_id:
        return voter.household.village_id
    return voter.village_id
