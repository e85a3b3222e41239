"""Dialogues and voter meetings end to end: announce, take questions and "me too",
group, mark, answer, finish (what is left becomes cases), publish the answers.

Every message goes through the outbox, queued in the transaction of the
change that causes it (an answer, a finish), so it goes out exactly once. The
announcement and the /news post are made after their change commits; `sweep`
finishes what a crash interrupted in between.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from bot.cases.model import FileRef
from bot.cases.model import Kind as CaseKind
from bot.cases.service import CaseService, Submission
from bot.core.clock import Clock
from bot.core.config import LANGUAGES, Settings
from bot.core.dates import long_date
from bot.core.db import Database, Transaction
from bot.core.i18n import N_, _, use_language
from bot.dialogues import notices, rules
from bot.dialogues.model import Dialogue, Kind, NewQuestion, Question, State
from bot.dialogues.repository import DialogueRepository, askers_sql, in_language
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts, DraftGone
from bot.people.citizens import Citizen
from bot.people.officers import Role
from bot.public_answers.masking import mask_personal, name_variants

OFFICER_ROLES = frozenset({Role.CHAIRMAN, Role.OFFICE, Role.CULTURE})
STILL_TAKING = N_("Questions are taken until {when}; finish the meeting after that.")
FORM_GONE = N_("This question was already sent, or the form was closed.")
CASE_TEXT = N_("Question to the {kind} “{title}” ({day}), not answered at the meeting: {text}")


class DialogueService:
    """The dialogue feature; `repo` holds its rows, the outbox carries its messages."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        settings: Settings,
        broadcasts: Broadcasts,
        outbox: Outbox,
        cases: CaseService,
        conversations: ConversationStore,
    ) -> None:
        self.repo = DialogueRepository(db, clock)
        self._db = db
        self._clock = clock
        self._settings = settings
        self._broadcasts = broadcasts
        self._outbox = outbox
        self._cases = cases
        self._conversations = conversations

    # The officer's composer.
    async def start_draft(self, author: Recipient, officer_id: int | None, kind: Kind) -> Dialogue:
        return await self.get(await self.repo.create(author, officer_id, kind))

    async def draft(self, author: Recipient, draft_id: int) -> Dialogue:
        """The author's own draft, still a draft; NOT_FOUND otherwise (checked at every step)."""
        found = await self.repo.get(draft_id)
        if found is None or found.state is not State.DRAFT or found.author != author:
            raise rules.DialogueError(rules.NOT_FOUND)
        return found

    async def update_draft(self, author: Recipient, draft_id: int, **fields: object) -> Dialogue:
        await self.draft(author, draft_id)
        if not await self.repo.update_draft(draft_id, **fields):
            raise rules.DialogueError(rules.NOT_FOUND)
        return await self.get(draft_id)

    async def reach(self, audience: Audience) -> int:
        """How many citizens the announcement reaches now."""
        return await self._broadcasts.count(audience)

    async def announce(self, draft_id: int) -> Dialogue:
        """Check the draft, open it for questions and queue the announcement."""
        draft = await self.get(draft_id)
        now = self._clock.now()
        rules.check_new(draft.title, draft.starts_at, draft.questions_close_at, now)
        async with self._db.transaction() as tx:
            if not await self.repo.move(tx, draft_id, State.DRAFT, State.OPEN, announced_at=now):
                raise rules.DialogueError(rules.NOT_FOUND)
        await self._announce(await self.get(draft_id))
        return await self.get(draft_id)

    async def _announce(self, dialogue: Dialogue) -> None:
        """Queue the announcement as a broadcast to the audience, once.

        The broadcast's id is stored before it is confirmed: after a crash in
        between, the sweep confirms that same draft rather than make a second.
        """
        author = Recipient("dialogue", str(dialogue.id))
        if dialogue.broadcast_id is not None:
            with contextlib.suppress(DraftGone):  # already confirmed: the usual case
                await self._broadcasts.confirm(author, dialogue.broadcast_id)
            return
        with use_language(self._settings.default_language):
            message = notices.announcement(dialogue, self._settings.timezone)
        draft = await self._broadcasts.start_draft(author, dialogue.officer_id)
        await self._broadcasts.update_draft(
            author, draft.id, message=message, audience=dialogue.audience
        )
        await self.repo.set_fields(dialogue.id, broadcast_id=draft.id)
        await self._broadcasts.confirm(author, draft.id)

    async def cancel(self, dialogue_id: int) -> Dialogue:
        """Cancel a draft, or an announced meeting (its audience is told)."""
        dialogue = await self.get(dialogue_id)
        async with self._db.transaction() as tx:
            moved = await self.repo.move(tx, dialogue_id, State.DRAFT, State.CANCELLED)
            if not moved and await self.repo.move(tx, dialogue_id, State.OPEN, State.CANCELLED):
                moved = True
                told = functools.partial(notices.cancelled, dialogue)
                await self._tell(tx, dialogue.audience.sql(), told)
        if not moved:
            raise rules.DialogueError(rules.NOT_OPEN)
        self._outbox.on_enqueue()
        return await self.get(dialogue_id)

    # Citizens.
    async def visible(self, citizen: Citizen | None) -> list[Dialogue]:
        """Announced events meant for the citizen, the nearest first."""
        if citizen is None:
            return []
        found = await self.repo.listed(State.OPEN, limit=50)
        mine = [d for d in found if d.audience.addresses(citizen.village_id, citizen.topics)]
        return sorted(mine, key=lambda d: d.starts_at or d.created_at)

    async def may_ask(self, citizen: Citizen, dialogue_id: int) -> Dialogue:
        """The event, if the citizen may send it a question now; DialogueError otherwise."""
        dialogue = await self.get(dialogue_id)
        self._check_open(dialogue)
        if not dialogue.audience.addresses(citizen.village_id, citizen.topics):
            raise rules.DialogueError(rules.NOT_IN_AUDIENCE)
        return dialogue

    async def may_ask_more(self, citizen: Citizen, dialogue_id: int) -> Dialogue:
        """As `may_ask`, and the citizen has not sent the most questions one may (told
        before they write, not after; the store checks again)."""
        dialogue = await self.may_ask(citizen, dialogue_id)
        if await self.repo.count_of(dialogue_id, citizen.id) >= rules.MAX_QUESTIONS:
            raise rules.DialogueError(rules.TOO_MANY, n=rules.MAX_QUESTIONS)
        return dialogue

    async def ask(
        self, who: Recipient, citizen: Citizen, dialogue_id: int, new: NewQuestion
    ) -> int:
        """Store the citizen's question and end their form, together; returns its number.

        A second press of the form's last button finds no form: one question only.
        """
        dialogue = await self.may_ask(citizen, dialogue_id)
        new = NewQuestion(
            rules.check_text(new.text, new.voice), new.voice, new.topic, new.anonymous, new.public
        )
        try:
            async with self._db.transaction() as tx:
                if not await self._conversations.clear_in(tx, who):
                    raise rules.DialogueError(FORM_GONE)
                return await self.repo.add_question(tx, dialogue_id, citizen.id, new)
        except rules.DialogueError as exc:
            raise self._with_when(exc, dialogue) from None

    async def public_questions(self, dialogue_id: int) -> list[Question]:
        """What citizens may read and support: public questions, most asked first, masked."""
        public = [q for q in await self.repo.questions(dialogue_id) if q.public]
        return rules.ranked(await self.masked(public))

    async def masked(self, questions: Sequence[Question]) -> list[Question]:
        """The questions as others and the report read them: phone numbers, addresses and
        the like masked, and the asker's own name too (anonymous or not)."""
        names = await self.repo.asker_names([q.id for q in questions]) if questions else {}

        def mask(text: str | None, name: str) -> str | None:
            return None if text is None else mask_personal(text, name_variants(name))

        return [
            replace(q, text=mask(q.text, names.get(q.id, "")) or "",
                    answer=mask(q.answer, names.get(q.id, "")))
            for q in questions
        ]  # fmt: skip

    async def support(self, citizen: Citizen, question_id: int) -> Question:
        """Add the citizen's "me too"; returns the question with its new count."""
        question = await self.repo.question(question_id)
        if question is None:
            raise rules.DialogueError(rules.NOT_FOUND)
        await self.may_ask(citizen, question.dialogue_id)  # open, and meant for them
        refusal = rules.support_refusal(question, citizen.id)
        if refusal is not None:
            raise rules.DialogueError(refusal)
        if not await self.repo.support(question_id, citizen.id):
            raise rules.DialogueError(rules.ALREADY_SUPPORTED)
        found = await self.repo.question(question_id)
        assert found is not None
        return found

    # Officers.
    async def questions(self, dialogue_id: int) -> list[Question]:
        """Every question, most asked first; anonymous ones without a name, not even one
        the asker typed in their words."""
        await self.get(dialogue_id)
        found = await self.repo.questions(dialogue_id)
        hidden = {q.id: q for q in await self.masked([q for q in found if q.anonymous])}
        return rules.ranked(hidden.get(q.id, q) for q in found)

    async def group(self, dialogue_id: int, numbers: Sequence[int]) -> list[Question]:
        """Answer the questions `numbers` together, under the first of them; one number
        alone takes that question out of its group (a group's lead: the group ends)."""
        questions = await self._working(dialogue_id)
        for number in numbers:
            rules.members(questions, number)  # refuses a number that does not exist
        if len(numbers) == 1:
            await self.repo.ungroup(dialogue_id, numbers[0])
        else:
            await self.repo.group(dialogue_id, numbers[0], numbers)
        return await self.questions(dialogue_id)

    async def mark(self, dialogue_id: int, numbers: Sequence[int]) -> list[Question]:
        """Mark (or unmark) questions to be answered at the meeting."""
        questions = await self._working(dialogue_id)
        for number in numbers:
            rules.members(questions, number)
        await self.repo.toggle_meeting(dialogue_id, numbers)
        return await self.questions(dialogue_id)

    async def answer(self, dialogue_id: int, number: int, text: str) -> list[Question]:
        """Record the answer to question `number` and its group; each asker and supporter
        is told, in the same transaction. Returns the questions it answered."""
        dialogue = await self.get(dialogue_id)
        group = await self.masked(rules.members(await self._working(dialogue_id), number))
        async with self._db.transaction() as tx:
            ids = await self.repo.record_answer(tx, [q.id for q in group], text.strip())
            if not ids:
                finished = all(q.answer is None for q in group)  # so finished meanwhile
                raise rules.DialogueError(
                    rules.NOT_OPEN if finished else rules.ALREADY_ANSWERED, n=number
                )
            for question in (q for q in group if q.id in ids):
                await self._tell(
                    tx,
                    askers_sql([question.id]),
                    functools.partial(notices.answered, dialogue, question, text.strip()),
                )
        self._outbox.on_enqueue()
        return [q for q in await self.questions(dialogue_id) if q.id in ids]

    async def finish(self, dialogue_id: int) -> list[Question]:
        """End the meeting: each question still unanswered becomes a case, its asker is
        told the code; the answered public questions go to /news. Returns the new cases'."""
        dialogue = await self.get(dialogue_id)
        now = self._clock.now()
        if dialogue.state is State.OPEN and rules.ask_refusal(dialogue, now) is None:
            raise rules.DialogueError(
                STILL_TAKING,
                when=notices.when(dialogue.questions_close_at, self._settings.timezone),
            )
        questions = await self.questions(dialogue_id)  # an anonymous case stays nameless
        made: list[int] = []
        async with self._db.transaction() as tx:
            if not await self.repo.move(
                tx, dialogue_id, State.OPEN, State.FINISHED, finished_at=now
            ):
                raise rules.DialogueError(rules.NOT_OPEN)
            # Read again under the write lock: an answer recorded meanwhile is no case.
            left = await self.repo.unanswered(tx, dialogue_id)
            for question in (q for q in questions if q.id in left):
                case_id = await self._to_case(tx, dialogue, question)
                if case_id is not None:
                    made.append(case_id)
        self._outbox.on_enqueue()
        # After the commit: a crash here leaves the cases in the officers' lists, unannounced.
        for case_id in made:
            await self._cases.announce(await self._cases.get(case_id))
        await self.publish(dialogue_id)
        return [q for q in await self.questions(dialogue_id) if q.case_code]

    async def _to_case(self, tx: Transaction, dialogue: Dialogue, question: Question) -> int | None:
        """Open a petition case for the question's asker and tell them its code.

        A question whose asker erased their data has nobody to answer: no case.
        """
        asker = await self.repo.asker(tx, question.id)
        if asker is None:
            return None
        with use_language(self._settings.default_language):
            day = long_date(
                (dialogue.starts_at or dialogue.created_at)
                .astimezone(self._settings.timezone)
                .date()
            )
            description = _(CASE_TEXT).format(
                kind=_(notices.KIND_NAMES[dialogue.kind]).lower(), title=dialogue.title, day=day,
                text=notices.question_text(question),
            )  # fmt: skip
        files = () if question.voice is None else (FileRef("voice", question.voice),)
        submission = Submission(
            CaseKind.PETITION, question.topic, asker.village_id, description, files=files,
            anonymous=question.anonymous, language=asker.language,
        )  # fmt: skip
        case_id = await self._cases.open_in(tx, asker.recipient, submission)
        await self.repo.set_case(tx, question.id, case_id)
        row = await tx.fetchone("SELECT code, due_on FROM cases WHERE id = ?", (case_id,))
        assert row is not None
        language = (
            asker.language if asker.language in LANGUAGES else self._settings.default_language
        )
        with use_language(language):
            due = date.fromisoformat(row["due_on"])
            message = notices.became_case(dialogue, question, row["code"], due)
        await self._outbox.enqueue_select(tx, *_one(asker.recipient), message)
        return case_id

    async def publish(self, dialogue_id: int) -> None:
        """File the answered public questions in /news, once the meeting is finished.

        The post's id is stored after it is filed: a crash in between files it
        again at the next sweep (at least once, never lost).
        """
        dialogue = await self.get(dialogue_id)
        if dialogue.state is not State.FINISHED or dialogue.news_id is not None:
            return
        questions = rules.ranked(await self.masked(await self.repo.questions(dialogue_id)))
        with use_language(self._settings.default_language):
            message = notices.news_post(dialogue, questions, self._settings.timezone)
        author = Recipient("dialogue", str(dialogue.id))
        news_id = await self._broadcasts.publish(
            author, dialogue.officer_id, message, dialogue.audience
        )
        await self.repo.set_fields(dialogue_id, news_id=news_id)

    async def sweep(self) -> None:
        """Tell authors whose questions closed; finish what a crash interrupted
        (announcements not queued, answers not filed)."""
        for dialogue in await self.repo.listed(State.OPEN, limit=200):
            await self._announce(dialogue)
            # An officer announced it in chat (not the command line): they are told.
            closed = rules.ask_refusal(dialogue, self._clock.now()) is not None
            if closed and dialogue.officer_id is not None:
                await self._tell_closed(dialogue)
        for dialogue in await self.repo.listed(State.FINISHED, limit=50):
            await self.publish(dialogue.id)

    async def _tell_closed(self, dialogue: Dialogue) -> None:
        """Send the author the most asked questions, once (marked in the same transaction)."""
        ranked = await self.questions(dialogue.id)  # anonymous ones nameless
        async with self._db.transaction() as tx:
            if not await self.repo.mark_closed_told(tx, dialogue.id, self._clock.now()):
                return
            with use_language(self._settings.default_language):
                message = notices.questions_closed(dialogue, ranked)
            await self._outbox.enqueue_select(tx, *_one(dialogue.author), message)
        self._outbox.on_enqueue()

    async def get(self, dialogue_id: int) -> Dialogue:
        """The event, or DialogueError(NOT_FOUND)."""
        found = await self.repo.get(dialogue_id)
        if found is None:
            raise rules.DialogueError(rules.NOT_FOUND)
        return found

    async def _working(self, dialogue_id: int) -> list[Question]:
        """The questions of an announced, unfinished event: what officers may still change."""
        if (await self.get(dialogue_id)).state is not State.OPEN:
            raise rules.DialogueError(rules.NOT_OPEN)
        return await self.repo.questions(dialogue_id)

    def _check_open(self, dialogue: Dialogue) -> None:
        refusal = rules.ask_refusal(dialogue, self._clock.now())
        if refusal is not None:
            raise self._with_when(rules.DialogueError(refusal), dialogue)

    def _with_when(self, exc: rules.DialogueError, dialogue: Dialogue) -> rules.DialogueError:
        if exc.text != rules.CLOSED:
            return exc
        closes = notices.when(dialogue.questions_close_at, self._settings.timezone)
        return rules.DialogueError(exc.text, when=closes)

    async def _tell(
        self,
        tx: Transaction,
        target: tuple[str, dict[str, object]],
        build: Callable[[], OutgoingMessage],
    ) -> None:
        """Queue a message to everyone of `target`, each in their language."""
        select, params = target
        for language in LANGUAGES:
            with use_language(language):
                message = build()
            await self._outbox.enqueue_select(
                tx, *in_language(select, params, language, self._settings.default_language), message
            )


def _one(who: Recipient) -> tuple[str, dict[str, object]]:
    """A SELECT of one recipient, to queue a message in the caller's transaction."""
    sql = "SELECT :channel AS channel, :external_id AS external_id"
    return sql, {"channel": who.channel, "external_id": who.external_id}
