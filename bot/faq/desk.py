"""Handing a question the FAQ cannot answer to the officers, and their answer back.

`QuestionDesk` is the hand-off: the FAQ calls `submit` and shows the citizen
the tracking code and the date officers answer by. The cases feature can
provide its own desk that opens a question case; until then `FaqQuestionDesk`
keeps the question in the FAQ's tables and tells the officers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Protocol

from bot.channels import Recipient
from bot.clock import Clock, to_db
from bot.config import nfc
from bot.db import Database
from bot.i18n import _, format_date, use_language
from bot.messages import OutgoingMessage
from bot.notify import DeliveryError, Notifier
from bot.officers import OfficerRepository, Role
from bot.workdays import WorkCalendar

log = logging.getLogger(__name__)
NOTIFIED_ROLES = (Role.OFFICE, Role.JUSTICE)


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told: the tracking code and the day officers answer by."""

    code: str
    due: date


class QuestionDesk(Protocol):
    """Where questions the FAQ cannot answer go."""

    async def submit(self, asker: Recipient, text: str) -> Receipt: ...


@dataclass(frozen=True)
class OpenQuestion:
    """A question sent to officers, answered or not."""

    id: int
    code: str
    asker: Recipient
    text: str
    asked_at: str
    due: date
    answer: str | None
    entry_id: int | None


class FaqQuestionDesk:
    """Records the question, gives it a code and a due date, and notifies the officers."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        officers: OfficerRepository,
        notifier: Notifier,
        calendar: WorkCalendar,
        *,
        answer_within: int,
        timezone: tzinfo,
    ) -> None:
        self._db = db
        self._clock = clock
        self._officers = officers
        self._notifier = notifier
        self._calendar = calendar
        self._answer_within = answer_within
        self._tz = timezone

    async def submit(self, asker: Recipient, text: str) -> Receipt:
        now = self._clock.now()
        today = now.astimezone(self._tz).date()
        due = self._calendar.add_working_days(today, self._answer_within)
        async with self._db.transaction() as tx:
            question_id = await tx.execute(
                "INSERT INTO faq_questions (code, asked_at, channel, external_id, text, due_on)"
                " VALUES ('', ?, ?, ?, ?, ?)",
                (to_db(now), asker.channel, asker.external_id, nfc(text.strip()), due.isoformat()),
            )
            code = f"CH-{question_id:04d}"
            await tx.execute("UPDATE faq_questions SET code = ? WHERE id = ?", (code, question_id))
        await self._notify_officers(code, text, due)
        return Receipt(code, due)

    async def get(self, code: str) -> OpenQuestion | None:
        row = await self._db.fetchone(
            "SELECT * FROM faq_questions WHERE code = ?", (code.strip().upper(),)
        )
        if row is None:
            return None
        return OpenQuestion(
            id=row["id"],
            code=row["code"],
            asker=Recipient(row["channel"], row["external_id"]),
            text=row["text"],
            asked_at=row["asked_at"],
            due=date.fromisoformat(row["due_on"]),
            answer=row["answer"],
            entry_id=row["entry_id"],
        )

    async def answer(self, code: str, officer_id: int, text: str) -> OpenQuestion:
        """Record the officer's answer and send it to the citizen."""
        question = await self.get(code)
        if question is None:
            raise LookupError(code)
        await self._db.execute(
            "UPDATE faq_questions SET answer = ?, answered_at = ?, answered_by = ? WHERE id = ?",
            (nfc(text.strip()), to_db(self._clock.now()), officer_id, question.id),
        )
        message = _("Answer to your question {code}:").format(code=question.code)
        await self._deliver(
            question.asker, OutgoingMessage(f"{message}\n«{question.text}»\n\n{text.strip()}")
        )
        answered = await self.get(code)
        assert answered is not None
        return answered

    async def published(self, question_id: int, entry_id: int) -> None:
        await self._db.execute(
            "UPDATE faq_questions SET entry_id = ? WHERE id = ?", (entry_id, question_id)
        )

    async def _notify_officers(self, code: str, text: str, due: date) -> None:
        notified: set[int] = set()
        for role in NOTIFIED_ROLES:
            for officer in await self._officers.with_role(role):
                if officer.id in notified:
                    continue
                notified.add(officer.id)
                with use_language(officer.language):
                    body = _(
                        "New question {code} from a citizen, to answer by {due}:\n«{text}»\n\n"
                        "Answer it with /faqanswer {code} followed by your answer."
                    ).format(code=code, due=format_date(due), text=text.strip())
                await self._deliver(officer.recipient, OutgoingMessage(body))

    async def _deliver(self, recipient: Recipient, message: OutgoingMessage) -> None:
        try:
            await self._notifier.notify(recipient, message)
        except DeliveryError as exc:
            # The question is stored: /faqstats and the lead's cases still show it.
            log.warning("could not notify %s: %s", recipient.channel, exc)
