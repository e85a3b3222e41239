"""What every case action shares: errors, state changes in one transaction, notices."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime

from bot.cases.config import CaseSettings
from bot.cases.model import Action, Case, FileRef, Status
from bot.cases.repository import CaseRepository
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.i18n import N_, use_language
from bot.core.workdays import WorkCalendar
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.notify import DeliveryError, Notifier
from bot.people.access import AccessControl
from bot.people.citizens import CitizenRepository
from bot.people.officers import Officer, OfficerRepository

log = logging.getLogger(__name__)


class CaseError(Exception):
    """An action that cannot be done; `text` is a message id to translate and show."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class CaseNotFound(CaseError):
    def __init__(self) -> None:
        super().__init__(N_("No case has this code. Please check it and try again."))


class WrongState(CaseError):
    """The case is not in a state that allows this action (e.g. already closed)."""


class TooManyCases(CaseError):
    def __init__(self, limit: int) -> None:
        super().__init__(N_("You have sent many cases today. Please try again tomorrow."))
        self.limit = limit


BuildMessages = Callable[[], list[OutgoingMessage]]


class CaseCore:
    """Storage, time, calendar and notification plumbing for the case services."""

    def __init__(
        self,
        *,
        repo: CaseRepository,
        conversations: ConversationStore,
        settings: Settings,
        config: CaseSettings,
        clock: Clock,
        calendar: WorkCalendar,
        officers: OfficerRepository,
        citizens: CitizenRepository,
        access: AccessControl,
        notifier: Notifier,
    ) -> None:
        self.repo = repo
        self.conversations = conversations
        self.settings = settings
        self.config = config
        self.clock = clock
        self.calendar = calendar
        self.officers = officers
        self.citizens = citizens
        self.access = access
        self.notifier = notifier

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The commune's date now: deadlines count in local days."""
        return self.now().astimezone(self.settings.timezone).date()

    async def get(self, case_id: int) -> Case:
        case = await self.repo.get(case_id)
        if case is None:
            raise CaseNotFound()
        return case

    async def change(
        self,
        case_id: int,
        allowed: Iterable[Status],
        action: Action,
        *,
        officer: Officer | None = None,
        text: str = "",
        files: Iterable[FileRef] = (),
        refusal: str = N_("This case can no longer take this action."),
        **fields: object,
    ) -> Case:
        """Check the status, update the case and log the event, all in one transaction.

        The status is read again inside the transaction, so two officers
        pressing the same button at once cannot both act.
        """
        now = self.now()
        async with self.repo.db.transaction() as tx:
            row = await tx.fetchone("SELECT status FROM cases WHERE id = ?", (case_id,))
            if row is None:
                raise CaseNotFound()
            if Status(row[0]) not in set(allowed):
                raise WrongState(refusal)
            if fields:
                await self.repo.update(tx, case_id, now, **fields)
            await self.repo.append(
                tx, case_id, now, action, officer.id if officer else None, text, files
            )
        return await self.get(case_id)

    async def notify_citizen(self, case: Case, build: BuildMessages) -> None:
        """Tell the sender, in their language; a failed delivery never undoes the action."""
        if case.reporter is None:
            return
        citizen = await self.citizens.get(case.reporter)
        with use_language(citizen.language if citizen else case.language):
            messages = build()
        await self._deliver(case.reporter, messages, f"case {case.id} citizen")

    async def notify_officer(self, officer: Officer, build: BuildMessages) -> None:
        with use_language(officer.language):
            messages = build()
        await self._deliver(officer.recipient, messages, f"officer {officer.id}")

    async def _deliver(self, to: Recipient, messages: list[OutgoingMessage], who: str) -> None:
        for message in messages:
            try:
                await self.notifier.notify(to, message)
            except DeliveryError as exc:
                # The event is already in the log; the person sees it with /track or /case.
                log.warning("could not notify %s: %s", who, exc)
                return


def file_messages(caption: str, files: Iterable[FileRef]) -> list[OutgoingMessage]:
    """One message per file, captioned, after the text that explains them."""
    return [
        OutgoingMessage(caption, attachment=Attachment(f.kind, f.ref, f.filename)) for f in files
    ]
