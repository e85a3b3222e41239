"""What citizens do after sending a case: follow it, add information, rate, reopen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from bot.cases.actions import CaseOpen
from bot.cases.core import CaseCore, CaseNotFound, WrongState, file_messages
from bot.cases.deadlines import allowed_days
from bot.cases.handling import OPEN, OfficerActions
from bot.cases.model import CLOSED, Action, Case, FileRef, Location, Status
from bot.core.i18n import N_, _
from bot.messaging.channels import Recipient
from bot.messaging.messages import Button, OutgoingMessage
from bot.people.officers import Officer

# An answer may be rated as soon as it arrives ("clear"), or once the case closes.
RATABLE = (Status.ANSWERED, *CLOSED)


class CitizenActions(OfficerActions, CaseCore):
    """Citizens' side of the case service; a citizen only ever reaches their own cases."""

    async def own(self, who: Recipient, case_id: int) -> Case:
        """The citizen's case; someone else's looks exactly like one that does not exist."""
        case = await self.repo.get(case_id)
        if case is None or case.reporter != who:
            raise CaseNotFound()
        return case

    async def own_by_code(self, who: Recipient, code: str) -> Case:
        case = await self.repo.by_code(code)
        if case is None or case.reporter != who:
            raise CaseNotFound()
        return case

    async def my_cases(self, who: Recipient) -> list[Case]:
        return await self.repo.of_reporter(who)

    async def add_info(
        self,
        who: Recipient,
        case_id: int,
        text: str,
        files: Sequence[FileRef] = (),
        location: Location | None = None,
    ) -> Case:
        """Add to an open case; a case waiting for information goes back to the office."""
        case = await self.own(who, case_id)
        status = case.status
        if status is Status.WAITING_INFO:
            status = Status.ACCEPTED if case.accepted_at else Status.NEW
        if location is not None:
            text = f"{text}\n📍 {location.map_url}".strip()
        case = await self.change(
            case.id,
            OPEN,
            Action.INFO_ADDED,
            text=text,
            files=files,
            refusal=N_("This case is closed. You can reopen it or send a new one."),
            status=status,
        )
        await self._tell_handlers(
            case, N_("The citizen added information to case {code}:"), text, files
        )
        return case

    async def rate(self, who: Recipient, case_id: int, stars: int) -> Case:
        """Record 1-5 stars once a case is closed; once per closing."""
        case = await self.own(who, case_id)
        if not 1 <= stars <= 5:
            raise WrongState(N_("Please choose from 1 to 5 stars."))
        if case.rating is not None:
            raise WrongState(N_("You have already rated this case. Thank you!"))
        case = await self.change(
            case.id,
            RATABLE,
            Action.RATED,
            text=f"{stars}/5",
            refusal=N_("You can rate a case once it is answered or closed."),
            rating=stars,
        )
        await self._tell_handlers(case, N_("The citizen rated case {code}:"), f"{stars}/5")
        return case

    async def unclear(self, who: Recipient, case_id: int, text: str) -> Case:
        """The answer did not help: what is unclear goes back to the office to handle."""
        case = await self.own(who, case_id)
        case = await self.change(
            case.id,
            (Status.ANSWERED,),
            Action.INFO_ADDED,
            text=text,
            refusal=N_("This choice is out of date."),
            status=Status.ACCEPTED if case.accepted_at else Status.NEW,
        )
        await self._tell_handlers(
            case, N_("The citizen says the answer to case {code} is not clear:"), text
        )
        return case

    async def comment(self, who: Recipient, case_id: int, text: str) -> Case:
        case = await self.own(who, case_id)
        case = await self.change(case.id, RATABLE, Action.COMMENTED, text=text, rating_comment=text)
        await self._tell_handlers(case, N_("The citizen commented on case {code}:"), text)
        return case

    def can_reopen(self, case: Case) -> bool:
        if case.status.open or case.closed_at is None:
            return False
        return self.now() <= case.closed_at + timedelta(days=self.config.reopen_days)

    async def reopen(self, who: Recipient, case_id: int, reason: str) -> Case:
        """Reopen a closed case within the configured period; the office is told."""
        case = await self.own(who, case_id)
        if not self.can_reopen(case):
            raise WrongState(
                N_("This case can no longer be reopened. Please send a new one with /feedback.")
            )
        days = allowed_days(case.kind, self.config.deadlines, accepted=case.accepted_at is not None)
        case = await self.change(
            case.id,
            CLOSED,
            Action.REOPENED,
            text=reason,
            status=Status.ACCEPTED if case.accepted_at else Status.NEW,
            closed_at=None,
            rating=None,
            rating_comment="",
            due_on=self.calendar.add_working_days(self.today(), days),
        )
        for officer in await self.responsible(case):
            await self.notify_officer(officer, partial(self._reopened, case, officer, reason))
        return case

    def _reopened(self, case: Case, officer: Officer, reason: str) -> list[OutgoingMessage]:
        head = _("The citizen reopened case {code}:").format(code=case.code)
        return [OutgoingMessage(f"{head} {reason}"), *self.officer_messages(case, officer)]

    async def _tell_handlers(
        self, case: Case, head: str, text: str, files: Sequence[FileRef] = ()
    ) -> None:
        def build() -> list[OutgoingMessage]:
            button = Button(_("📂 Open the case"), CaseOpen(case.id))
            lead = _(head).format(code=case.code)
            caption = _("File of case {code}").format(code=case.code)
            message = OutgoingMessage(f"{lead}\n{text}".strip(), buttons=((button,),))
            return [message, *file_messages(caption, files)]

        for officer in await self.responsible(case):
            await self.notify_officer(officer, build)
