"""The case service: intake, the entry point other features use, and all case actions.

`CaseService.submit_question(recipient, text, ...)` is how another feature
(the FAQ, when it has no answer) turns a citizen's question into a case.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.cases.codes import new_code
from bot.cases.config import CaseSettings, load_case_settings
from bot.cases.core import CaseError, TooManyCases
from bot.cases.deadlines import due_date
from bot.cases.followup import CitizenActions
from bot.cases.listing import build_filter
from bot.cases.model import Action, Case, Contact, Draft, FileRef, Kind, Location, Topic
from bot.cases.permissions import responsible_role
from bot.cases.privacy import Privacy
from bot.cases.repository import CaseRepository, NewCase
from bot.core.clock import Clock
from bot.core.config import Settings, nfc
from bot.core.db import Database, Transaction
from bot.core.i18n import N_
from bot.core.workdays import WorkCalendar
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore
from bot.messaging.notify import Notifier
from bot.people.access import AccessControl
from bot.people.citizens import CitizenRepository
from bot.people.officers import Officer, OfficerRepository

MAX_TEXT = 4000


class DraftGone(CaseError):
    """The form was already sent or cancelled (e.g. a button pressed twice)."""

    def __init__(self) -> None:
        super().__init__(N_("This form is no longer open. Send /feedback to start a new one."))


class IncompleteDraft(CaseError):
    """A form lacks something the case needs."""


@dataclass(frozen=True)
class Submission:
    """A new case's content, from the form or from another feature."""

    kind: Kind
    topic: Topic
    village_id: str | None
    description: str
    files: tuple[FileRef, ...] = ()
    location: Location | None = None
    contact: Contact | None = None
    anonymous: bool = False
    language: str = "vi"


class CaseService(CitizenActions):
    """Everything about cases; handlers call this and render what it returns."""

    @classmethod
    def create(
        cls,
        db: Database,
        settings: Settings,
        clock: Clock,
        officers: OfficerRepository,
        citizens: CitizenRepository,
        access: AccessControl,
        notifier: Notifier,
        calendar: WorkCalendar | None = None,
        conversations: ConversationStore | None = None,
    ) -> CaseService:
        """Build the service; `[cases]` of config.toml is validated here (ConfigError)."""
        config: CaseSettings = load_case_settings(settings.section("cases"))
        return cls(
            repo=CaseRepository(db),
            conversations=conversations
            or ConversationStore(db, clock, timedelta(hours=config.draft_hours)),
            settings=settings,
            config=config,
            clock=clock,
            calendar=calendar or WorkCalendar(),
            officers=officers,
            citizens=citizens,
            access=access,
            notifier=notifier,
        )

    async def start(self) -> None:
        await self.conversations.load()

    @property
    def privacy(self) -> Privacy:
        return Privacy(self.repo, self.conversations, self.citizens, self.clock)

    async def check_limit(self, who: Recipient) -> None:
        """Refuse a new case beyond the configured number in the last 24 hours."""
        since = self.now() - timedelta(days=1)
        if await self.repo.count_since(who, since) >= self.config.max_cases_per_day:
            raise TooManyCases(self.config.max_cases_per_day)

    async def duplicate_of(self, who: Recipient, text: str) -> str:
        """The code of a recent case of this citizen with the same text, or ''."""
        since = self.now() - timedelta(days=self.config.duplicate_days)
        return await self.repo.same_text_since(who, text_hash(text), since)

    async def submit(self, who: Recipient, draft: Draft, language: str) -> Case:
        """Commit the form as a case, the form's deletion in the same transaction.

        Sending the same form twice (a double press, or an update delivered
        again after a crash) finds no form the second time: one case only.
        """
        if draft.kind is None or draft.topic is None or not draft.description:
            raise IncompleteDraft(N_("The form is not complete yet."))
        if draft.kind.formal and draft.contact is None:
            raise IncompleteDraft(N_("A complaint or denunciation needs your name and phone."))
        await self.check_limit(who)
        submission = Submission(
            kind=draft.kind,
            topic=draft.topic,
            village_id=draft.village_id,
            description=draft.description,
            files=draft.files,
            location=draft.location,
            contact=draft.contact if draft.consent else None,
            anonymous=draft.anonymous,
            language=language,
        )
        async with self.repo.db.transaction() as tx:
            if not await self.conversations.clear_in(tx, who):
                raise DraftGone()
            case_id = await self._insert(tx, who, submission)
        return await self.get(case_id)

    async def submit_question(
        self,
        who: Recipient,
        text: str,
        *,
        topic: Topic = Topic.OTHER,
        village_id: str | None = None,
        language: str = "vi",
        kind: Kind = Kind.QUESTION,
        contact: Contact | None = None,
    ) -> Case:
        """Open a question case for a citizen (e.g. one the FAQ could not answer), or
        another kind (e.g. a petition an officer heard at a citizen reception).

        Checks the daily limit (TooManyCases), commits the case, tells the
        responsible officers and returns it; the caller tells the citizen
        the code and `case.due_on`.
        """
        await self.check_limit(who)
        submission = Submission(kind, topic, village_id, text, contact=contact, language=language)
        async with self.repo.db.transaction() as tx:
            case_id = await self._insert(tx, who, submission)
        case = await self.get(case_id)
        await self.announce(case)
        return case

    async def open_in(self, tx: Transaction, who: Recipient, submission: Submission) -> int:
        """Insert a case in the caller's transaction, with the usual deadline, so another
        feature's own change commits with it (a dialogue's question left unanswered).

        No daily limit: an officer's action opens it, not the citizen. The caller
        announces it (`announce`) once committed.
        """
        return await self._insert(tx, who, submission)

    async def list_open(self, officer: Officer, words: Sequence[str]) -> list[Case]:
        """Open cases this officer may see, nearest deadline first (UnknownFilter)."""
        where = build_filter(words, officer, self.today(), self.settings)
        return await self.repo.open_cases(where)

    async def _insert(self, tx: Transaction, who: Recipient, s: Submission) -> int:
        # Never cut here: the form refuses what is too long, and channels show it all.
        description = nfc(s.description.strip())
        due = due_date(s.kind, self.today(), self.config.deadlines, self.calendar)
        code = new_code(self.config.code_prefix)
        while await self.repo.code_exists(tx, code):
            code = new_code(self.config.code_prefix)
        new = NewCase(
            code=code,
            kind=s.kind,
            topic=s.topic,
            village_id=s.village_id,
            description=description,
            text_hash=text_hash(description),
            reporter=who,
            contact=s.contact,
            anonymous=s.anonymous,
            location=s.location,
            office=responsible_role(s.kind, s.topic, self.config.routing),
            language=s.language,
            received_at=self.now(),
            due_on=due,
        )
        case_id = await self.repo.insert(tx, new)
        await self.repo.append(tx, case_id, self.now(), Action.SUBMITTED, files=s.files)
        return case_id


def text_hash(text: str) -> str:
    """The same words, whatever the case, spacing or Unicode form, hash the same."""
    normal = re.sub(r"\s+", " ", nfc(text).strip().casefold())
    return hashlib.sha256(normal.encode()).hexdigest()[:32]
