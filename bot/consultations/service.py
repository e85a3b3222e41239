"""Consultations end to end: open (invite the audience), answer, tally, close, remind.

Every message goes through the outbox. A state change and the messages it
causes are made crash-safe this way: the change commits first, and the
periodic `sweep` finishes what a crash interrupted (an open consultation
whose invitation was not queued, a closed one whose result was not told).
Reminders and results are queued by one INSERT ... SELECT in the same
transaction that marks them done, so they go out exactly once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.consultations import notices, rules
from bot.consultations.answering import Answered, Outcome, Press, Who
from bot.consultations.batching import GroupCommit
from bot.consultations.model import (
    Comment,
    Consultation,
    Kind,
    Moderation,
    Question,
    QuestionType,
    State,
    Tally,
)
from bot.consultations.paper import PaperTotals
from bot.consultations.repository import ConsultationRepository
from bot.core.clock import Clock
from bot.core.config import LANGUAGES, Settings
from bot.core.db import Database
from bot.core.i18n import _, use_language
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment
from bot.messaging.notify import Notifier
from bot.messaging.outbox import Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts, DraftGone
from bot.people.citizens import Citizen, CitizenRepository
from bot.people.officers import OfficerRepository, Role

OFFICER_ROLES = frozenset({Role.CULTURE, Role.OFFICE, Role.CHAIRMAN})


@dataclass(frozen=True)
class Proposal:
    """What an officer (or the CLI) puts to citizens."""

    title: str
    question: str
    options: tuple[str, ...]
    closes_at: datetime
    kind: Kind = Kind.POLL
    audience: Audience = field(default_factory=Audience)
    summary: str = ""
    opens_at: datetime | None = None  # None: at once
    document: Attachment | None = None
    questions: tuple[Question, ...] = ()  # several (an opinion); empty: `question`, `options`
    public_comments: bool = False

    def asked(self) -> tuple[Question, ...]:
        """The questions put: `questions`, or the one single-choice `question`."""
        if self.questions:
            return self.questions
        options = tuple(o.strip() for o in self.options if o.strip())
        return (Question(QuestionType.SINGLE, self.question, options),)


class CaseDesk(Protocol):
    """Where a comment turned into a case goes (bot.cases, wired in bot.services)."""

    async def open_case(self, citizen: Citizen, text: str) -> tuple[int, str, date]:
        """Open a case in the citizen's name: its id, code and the date it is due."""


class ConsultationService:
    """The consultation feature; `repo` holds its rows, the outbox carries its messages."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        broadcasts: Broadcasts,
        outbox: Outbox,
        officers: OfficerRepository,
        notifier: Notifier,
    ) -> None:
        self.repo = ConsultationRepository(db, clock)
        self._db = db
        self._clock = clock
        self._settings = settings
        self._broadcasts = broadcasts
        self._outbox = outbox
        self._officers = officers
        self._notifier = notifier
        self._citizens = CitizenRepository(db, clock)
        self.cases: CaseDesk | None = None  # set by bot.services; comments become cases there
        self._answers: GroupCommit[Press, Outcome]
        self._answers = GroupCommit(self.repo.answer_many)

    @property
    def villages(self) -> dict[str, str]:
        return {v.id: v.name for v in self._settings.villages}

    async def open(
        self, author: Recipient, officer_id: int | None, proposal: Proposal
    ) -> Consultation:
        """Check the proposal, store it and invite its audience at its opening time."""
        draft_id = await self.repo.create(
            author,
            officer_id,
            kind=proposal.kind,
            title=proposal.title,
            summary=proposal.summary,
            questions=proposal.asked(),
            audience=proposal.audience,
            public_comments=proposal.public_comments,
            opens_at=proposal.opens_at,
            closes_at=proposal.closes_at,
            document=proposal.document,
        )
        return await self.launch(draft_id)

    async def start_draft(self, author: Recipient, officer_id: int | None) -> Consultation:
        """A fresh draft an officer fills in step by step."""
        return await self._get(await self.repo.create(author, officer_id))

    async def draft(self, author: Recipient, draft_id: int) -> Consultation:
        """The author's own draft, still a draft; NOT_FOUND otherwise (checked at every step)."""
        found = await self.repo.get(draft_id)
        if found is None or found.state is not State.DRAFT or found.author != author:
            raise rules.ConsultationError(rules.NOT_FOUND)
        return found

    async def update_draft(
        self, author: Recipient, draft_id: int, **fields: object
    ) -> Consultation:
        await self.draft(author, draft_id)
        if not await self.repo.update_draft(draft_id, **fields):
            raise rules.ConsultationError(rules.NOT_FOUND)
        return await self._get(draft_id)

    async def enter_paper(
        self, consultation_id: int, totals: PaperTotals, officer_id: int
    ) -> Tally:
        """Store a village's paper-ballot totals; only while open or just closed."""
        consultation = await self._get(consultation_id)
        if consultation.state not in (State.OPEN, State.CLOSED):
            raise rules.ConsultationError(rules.NOT_OPEN)
        await self.repo.enter_paper(
            consultation_id, totals.village_id, list(totals.counts), totals.note, officer_id,
            totals.question,
        )  # fmt: skip
        return await self.repo.tally(consultation_id, totals.question)

    async def launch(self, draft_id: int) -> Consultation:
        """Open a stored draft: check it, count who may answer, queue the invitation."""
        draft = await self._get(draft_id)
        now = self._clock.now()
        if draft.closes_at is None:
            raise rules.ConsultationError(rules.BAD_CLOSING)
        opens = draft.opens_at or now
        rules.check_new(draft.kind, draft.audience, draft.questions, opens, draft.closes_at, now)
        eligible = await self.eligible(draft.kind, draft.audience)
        async with self._db.transaction() as tx:
            moved = await self.repo.move(
                tx, draft_id, State.DRAFT, State.OPEN, eligible=eligible, opens_at=opens
            )
        if not moved:
            raise rules.ConsultationError(rules.NOT_FOUND)
        await self._invite(await self._get(draft_id))
        return await self._get(draft_id)

    async def eligible(self, kind: Kind, audience: Audience) -> int:
        """Who may answer: the villages' households, or the audience's citizens now."""
        if kind is Kind.HOUSEHOLD:
            counts = {v.id: v.households for v in self._settings.villages}
            return rules.households_in(audience, counts)
        return await self._broadcasts.count(audience)

    async def _invite(self, consultation: Consultation) -> None:
        """Queue the invitation as a broadcast to the audience, once.

        The broadcast's id is stored before it is confirmed: after a crash in
        between, the sweep confirms that same draft rather than make a second.
        """
        author = Recipient("consultation", str(consultation.id))
        if consultation.state is not State.OPEN:
            return
        if consultation.broadcast_id is not None:
            with contextlib.suppress(DraftGone):  # already confirmed: the usual case
                await self._broadcasts.confirm(author, consultation.broadcast_id)
            return
        with use_language(self._settings.default_language):
            message = notices.invitation(consultation, self._settings.timezone)
        draft = await self._broadcasts.start_draft(author, consultation.officer_id)
        await self._broadcasts.update_draft(
            author, draft.id, message=message, audience=consultation.audience,
            send_at=consultation.opens_at,
        )  # fmt: skip
        await self.repo.set_fields(consultation.id, broadcast_id=draft.id)
        await self._broadcasts.confirm(author, draft.id)

    async def answer(
        self, citizen_id: int, consultation_id: int, option: int, question: int = 0
    ) -> int | None:
        """Record the citizen's choice for `question`; returns the value it replaced."""
        return (await self.press(citizen_id, consultation_id, option, question)).previous

    async def press(
        self, who: Who, consultation_id: int, option: int, question: int = 0
    ) -> Answered:
        """Record a press of `who` (a citizen's id, or who pressed in the chat).

        Presses arriving together are committed together (`GroupCommit`): at
        a village meeting hundreds answer within seconds, and one fsync per
        answer would queue them behind each other. The consultation comes
        back as read inside that transaction, so the reply costs no query.
        """
        outcome = await self._answers.submit(Press(consultation_id, who, question, option))
        if isinstance(outcome, rules.ConsultationError):
            raise outcome
        return outcome

    async def comment(
        self, citizen_id: int, consultation_id: int, text: str, question: int = 0
    ) -> None:
        """The citizen's comment: the answer of a free-comment question, or beside a choice."""
        consultation = await self._get(consultation_id)
        text = text.strip()[:2000]
        if not 0 <= question < len(consultation.questions) or not text:
            raise rules.ConsultationError(rules.BAD_OPTION)
        if consultation.questions[question].type is QuestionType.COMMENT:
            await self.repo.answer_text(consultation_id, citizen_id, question, text)
        else:
            await self.repo.comment(consultation_id, citizen_id, text, question)

    async def results(self, consultation_id: int) -> tuple[Consultation, Tally]:
        return await self._get(consultation_id), await self.repo.tally(consultation_id)

    async def all_results(self, consultation_id: int) -> tuple[Consultation, tuple[Tally, ...]]:
        """The consultation and every question's tally."""
        return await self._get(consultation_id), await self.repo.tallies(consultation_id)

    async def moderated(self, comment_id: int) -> tuple[Consultation, Comment]:
        """A comment and its consultation, for the officers' moderation screen."""
        found = await self.repo.comment_by_id(comment_id)
        if found is None:
            raise rules.ConsultationError(rules.NO_COMMENT)
        return await self._get(found[0]), found[1]

    async def respond(self, comment_id: int, officer_id: int, response: str) -> Comment:
        """Answer a comment publicly: shown with it in the result when comments are public."""
        consultation, _comment = await self.moderated(comment_id)
        if not consultation.public_comments:
            raise rules.ConsultationError(rules.NOT_PUBLIC)
        text = response.strip()[:2000]
        if not text:
            raise rules.ConsultationError(rules.EMPTY_RESPONSE)
        await self.repo.moderate(comment_id, Moderation.ANSWERED, officer_id, response=text)
        return (await self.moderated(comment_id))[1]

    async def hide(self, comment_id: int, officer_id: int) -> Comment:
        await self.moderated(comment_id)
        await self.repo.moderate(comment_id, Moderation.HIDDEN, officer_id)
        return (await self.moderated(comment_id))[1]

    async def to_case(self, comment_id: int, officer_id: int) -> tuple[Comment, str]:
        """Turn a comment into a case in its author's name; the author is told. Returns the code."""
        found = await self.repo.comment_by_id(comment_id)
        if found is None:
            raise rules.ConsultationError(rules.NO_COMMENT)
        consultation_id, comment, citizen_id = found
        if comment.case_id is not None:
            raise rules.ConsultationError(rules.ALREADY_CASE)
        citizen = None if citizen_id is None else await self._citizens.get_by_id(citizen_id)
        if citizen is None or self.cases is None:
            raise rules.ConsultationError(rules.AUTHOR_GONE)
        consultation = await self._get(consultation_id)
        with use_language(citizen.language):
            text = _('On the consultation "{title}": {comment}').format(
                title=consultation.title, comment=comment.text
            )
        case_id, code, due = await self.cases.open_case(citizen, text)
        await self.repo.moderate(comment_id, Moderation.CASE, officer_id, case_id=case_id)
        with use_language(citizen.language):
            message = notices.comment_became_case(consultation, code, due)
        await self._notifier.notify(citizen.recipient, message)
        return (await self.moderated(comment_id))[1], code

    async def sign(self, citizen_id: int, consultation_id: int, question: int, on: bool) -> None:
        if not await self.repo.sign(consultation_id, citizen_id, question, on):
            raise rules.ConsultationError(rules.ANSWER_FIRST)

    async def my_answers(
        self, citizen_id: int, consultation_id: int
    ) -> dict[int, tuple[int, str | None]]:
        return await self.repo.my_answers(consultation_id, citizen_id)

    async def close(self, consultation_id: int) -> Consultation:
        """Close now (at its time, or early): answers stop, the result goes out."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            moved = await self.repo.move(
                tx, consultation_id, State.OPEN, State.CLOSED, closed_at=now
            )
        if not moved:
            raise rules.ConsultationError(rules.NOT_OPEN)
        await self._tell_result(await self._get(consultation_id))
        return await self._get(consultation_id)

    async def extend(self, consultation_id: int, closes_at: datetime) -> Consultation:
        """Give more time; those who answered are told the new closing time."""
        consultation = await self._get(consultation_id)
        rules.check_extension(consultation, closes_at, self._clock.now())
        await self.repo.set_fields(consultation_id, closes_at=closes_at, reminded_at=None)
        consultation = await self._get(consultation_id)
        await self._tell(consultation, "extended", self.repo.participants_sql(consultation_id))
        return consultation

    async def cancel(self, consultation_id: int) -> Consultation:
        """Cancel a draft or an open consultation; its whole audience is told."""
        consultation = await self._get(consultation_id)
        async with self._db.transaction() as tx:
            moved = await self.repo.move(tx, consultation_id, State.OPEN, State.CANCELLED)
            moved = moved or await self.repo.move(tx, consultation_id, State.DRAFT, State.CANCELLED)
        if not moved:
            raise rules.ConsultationError(rules.NOT_OPEN)
        if consultation.state is State.OPEN:
            await self._tell(consultation, "cancelled", consultation.audience.sql())
        return await self._get(consultation_id)

    async def _tell(
        self, consultation: Consultation, what: str, target: tuple[str, dict[str, object]]
    ) -> None:
        select, params = target
        async with self._db.transaction() as tx:
            for language in LANGUAGES:
                with use_language(language):
                    message = notices.changed(consultation, self._settings.timezone, what)
                await self._outbox.enqueue_select(
                    tx, *_in_language(select, params, language, self._settings), message
                )
        self._outbox.on_enqueue()

    async def _tell_result(self, consultation: Consultation) -> None:
        """Tell participants and officers the result and file it in /news, once."""
        tally = await self.repo.tallies(consultation.id)
        select, params = self.repo.participants_sql(consultation.id)
        async with self._db.transaction() as tx:
            if not await self.repo.mark_reported(tx, consultation.id, self._clock.now()):
                return
            for language in LANGUAGES:
                with use_language(language):
                    message = notices.result(consultation, tally, self.villages)
                await self._outbox.enqueue_select(
                    tx, *_in_language(select, params, language, self._settings), message
                )
        self._outbox.on_enqueue()
        with use_language(self._settings.default_language):
            public = notices.result(consultation, tally, self.villages)
        author = Recipient("consultation", str(consultation.id))
        await self._broadcasts.publish(
            author, consultation.officer_id, public, consultation.audience
        )
        await self._tell_officers(consultation, tally)

    async def _tell_officers(self, consultation: Consultation, tally: tuple[Tally, ...]) -> None:
        seen: set[int] = set()
        for role in sorted(OFFICER_ROLES):
            for officer in await self._officers.with_role(role):
                if officer.id in seen:
                    continue
                seen.add(officer.id)
                with use_language(officer.language):
                    message = notices.summary(consultation, tally, self.villages)
                await self._notifier.notify(officer.recipient, message)

    async def send_reminders(self) -> int:
        """Remind, once, who has not answered a consultation closing within a day."""
        now, sent = self._clock.now(), 0
        for consultation in await self.repo.listed(State.OPEN, limit=1000):
            if not rules.reminder_due(consultation, now):
                continue
            select, params = self.repo.not_answered_sql(consultation)
            async with self._db.transaction() as tx:
                if not await self.repo.mark_reminded(tx, consultation.id, now):
                    continue
                for language in LANGUAGES:
                    with use_language(language):
                        message = notices.reminder(consultation, self._settings.timezone)
                    sent += await self._outbox.enqueue_select(
                        tx, *_in_language(select, params, language, self._settings), message
                    )
        self._outbox.on_enqueue()
        return sent

    async def sweep(self) -> list[int]:
        """Close what is due and finish what a crash interrupted; returns the ids closed."""
        now, closed = self._clock.now(), []
        for consultation in await self.repo.listed(State.OPEN, limit=1000):
            if rules.is_due(consultation, now):
                try:
                    await self.close(consultation.id)
                    closed.append(consultation.id)
                except rules.ConsultationError:
                    pass  # closed meanwhile by an officer
            else:
                await self._invite(consultation)
        for consultation in await self.repo.listed(State.CLOSED, limit=50):
            if consultation.reported_at is None:
                await self._tell_result(consultation)
        return closed

    async def visible(
        self, citizen: Citizen | None, state: State, limit: int = 10
    ) -> list[Consultation]:
        """Consultations in `state` meant for the citizen (all of them for a stranger: none)."""
        if citizen is None:
            return []
        found = await self.repo.listed(state, limit=100)
        mine = [c for c in found if c.audience.addresses(citizen.village_id, citizen.topics)]
        return mine[:limit]

    async def get(self, consultation_id: int) -> Consultation:
        """The consultation, or ConsultationError(NOT_FOUND)."""
        return await self._get(consultation_id)

    async def _get(self, consultation_id: int) -> Consultation:
        found = await self.repo.get(consultation_id)
        if found is None:
            raise rules.ConsultationError(rules.NOT_FOUND)
        return found


def _in_language(
    select: str, params: dict[str, object], language: str, settings: Settings
) -> tuple[str, dict[str, object]]:
    """Narrow a SELECT of (channel, external_id) to the citizens who read `language`."""
    default = language == settings.default_language
    sql = (
        f"SELECT s.channel, s.external_id FROM ({select}) s JOIN citizens l"
        " ON l.channel = s.channel AND l.external_id = s.external_id"
        " WHERE l.language = :language"
        + (
            " OR l.language NOT IN (" + ", ".join(f"'{x}'" for x in LANGUAGES) + ")"
            if default
            else ""
        )
    )
    return sql, {**params, "language": language}
