"""What officers do with a case: accept, assign, ask, answer, transfer, resolve, reject.

Every action checks the officer's role on the server (and audits a refusal),
changes the case in one transaction with its event, then tells the citizen.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.cases.actions import TrackAddInfo, TrackClear, TrackRate, TrackReopen, TrackUnclear
from bot.cases.card_actions import CardRole, card_actions
from bot.cases.core import CaseCore, CaseNotFound, WrongState, file_messages
from bot.cases.deadlines import due_date
from bot.cases.model import Action, Case, Event, FileRef, Status
from bot.cases.notices import (
    files_button,
    group_card,
    kind_name,
    office_name,
    officer_buttons,
    officer_card,
    officer_timeline,
)
from bot.cases.permissions import handling_roles, may_handle, may_see_identity, viewing_roles
from bot.core.dates import long_date
from bot.core.i18n import N_, _, use_language
from bot.messaging.channels import TELEGRAM, Recipient
from bot.messaging.markup import Markup
from bot.messaging.messages import Button, OutgoingMessage
from bot.people.officers import Officer, Role

OPEN = (Status.NEW, Status.ACCEPTED, Status.WAITING_INFO, Status.ANSWERED)
CLOSED_REFUSAL = N_("This case is already closed.")


class OfficerActions(CaseCore):
    """Officers' side of the case service."""

    async def authorize(self, actor: Recipient, action: str, case: Case) -> Officer:
        roles = handling_roles(case, self.config.routing)
        return await self.access.authorize(actor, f"case:{action}", roles, target=case.code)

    async def open_for(self, actor: Recipient, case_id: int) -> tuple[Officer, Case]:
        """The case for an officer allowed to see it (refusals are audited)."""
        case = await self.get(case_id)
        roles = viewing_roles(case.kind)
        officer = await self.access.authorize(actor, "case:view", roles, target=case.code)
        return officer, case

    async def open_by_code(self, actor: Recipient, code: str) -> tuple[Officer, Case]:
        case = await self.repo.by_code(code)
        if case is None:
            raise CaseNotFound()
        return await self.open_for(actor, case.id)

    def officer_messages(self, case: Case, officer: Officer) -> list[OutgoingMessage]:
        """The case card (with action buttons for those who may act) and its files."""
        text = officer_card(case, self.settings, self.today(), identity=self.shows(officer, case))
        buttons = officer_buttons(case, card_actions(case.status, self.card_role(officer, case)))
        caption = _("File of case {code}").format(code=case.code)
        return [OutgoingMessage(text, buttons=buttons), *file_messages(caption, case.attachments)]

    def case_view(self, case: Case, officer: Officer, events: Sequence[Event]) -> OutgoingMessage:
        """`/case`: one message, the card with its timeline folded in; the files on demand."""
        card = officer_card(
            case, self.settings, self.today(), identity=self.shows(officer, case), files_below=False
        )
        timeline = officer_timeline(list(events), self.settings.timezone)
        buttons = officer_buttons(case, card_actions(case.status, self.card_role(officer, case)))
        files = case_files(case, events)
        if files:
            buttons = (*buttons, (files_button(case, files),))
        return OutgoingMessage(Markup("{}\n\n{}").format(card, timeline), buttons=buttons)

    def files_view(self, case: Case, events: Sequence[Event]) -> list[OutgoingMessage]:
        """The case's files (the citizen's, and those added on the way), each captioned."""
        caption = _("File of case {code}").format(code=case.code)
        return file_messages(caption, case_files(case, events))

    def card_role(self, officer: Officer, case: Case) -> CardRole:
        if not may_handle(officer, case, self.config.routing):
            return CardRole.VIEWER
        return CardRole.ASSIGNEE if case.assignee_id == officer.id else CardRole.HANDLER

    def shows(self, officer: Officer, case: Case) -> bool:
        return may_see_identity(officer, case)

    async def responsible(self, case: Case) -> list[Officer]:
        """Who is told of a new case: its office, else the justice officer, else the chairman."""
        if case.assignee_id is not None:
            found = [o for o in await self.officers.all() if o.id == case.assignee_id]
            if found:
                return found
        for role in (case.office, Role.JUSTICE, Role.CHAIRMAN):
            officers = await self.officers.with_role(role)
            if officers:
                return officers
        return []

    async def announce(self, case: Case) -> None:
        """Tell the responsible officers of a new case, and the group without identity."""
        for officer in await self.responsible(case):
            await self.notify_officer(officer, partial(self.officer_messages, case, officer))
        chat = self.settings.officers_chat_id
        if chat is not None:
            with use_language(self.settings.default_language):
                message = OutgoingMessage(group_card(case, self.settings, self.today()))
            await self._deliver(Recipient(TELEGRAM, str(chat)), [message], "officers' group")

    async def accept(self, actor: Recipient, case_id: int) -> Case:
        """Accept (thụ lý) a new case; a complaint's deadline now counts from today."""
        case = await self.get(case_id)
        officer = await self.authorize(actor, "accept", case)
        received = case.received_at.astimezone(self.settings.timezone).date()
        due = due_date(
            case.kind, received, self.config.deadlines, self.calendar, accepted=self.today()
        )
        case = await self.change(
            case.id,
            (Status.NEW,),
            Action.ACCEPTED,
            officer=officer,
            refusal=N_("This case was already accepted or closed."),
            status=Status.ACCEPTED,
            accepted_at=self.now(),
            due_on=due,
            assignee_id=case.assignee_id or officer.id,
        )
        await self.access.done(officer, "case:accept", case.code)
        await self.notify_citizen(case, lambda: [OutgoingMessage(self._accepted_text(case))])
        return case

    def _accepted_text(self, case: Case) -> str:
        return _(
            "Your {kind} {code} has been accepted by {office}. Expected answer by {date}."
        ).format(
            kind=kind_name(case.kind).lower(),
            code=case.code,
            office=office_name(case, self.settings),
            date=long_date(case.due_on),
        )

    async def assignees(self, case: Case) -> list[Officer]:
        """Officers who may be given this case."""
        return [o for o in await self.officers.all() if may_handle(o, case, self.config.routing)]

    async def assign(self, actor: Recipient, case_id: int, to_officer: int | None = None) -> Case:
        """Give the case to an officer (None: to the one acting); they are told."""
        case = await self.get(case_id)
        officer = await self.authorize(actor, "assign", case)
        target = officer if to_officer is None else None
        for candidate in await self.assignees(case):
            if candidate.id == to_officer:
                target = candidate
        if target is None:
            raise WrongState(N_("This officer cannot take this case."))
        office = case.office if case.office in target.roles else _office_of(target, case)
        case = await self.change(
            case.id,
            OPEN,
            Action.ASSIGNED,
            officer=officer,
            text=target.name,
            refusal=CLOSED_REFUSAL,
            assignee_id=target.id,
            office=office,
        )
        await self.access.done(officer, "case:assign", case.code, detail=str(target.id))
        if target.id != officer.id:
            await self.notify_officer(target, lambda: self.officer_messages(case, target))
        return case

    async def ask_info(self, actor: Recipient, case_id: int, question: str) -> Case:
        """Ask the citizen for more; they get a button to reply."""
        case = await self.get(case_id)
        officer = await self.authorize(actor, "ask", case)
        case = await self.change(
            case.id,
            OPEN,
            Action.INFO_REQUESTED,
            officer=officer,
            text=question,
            refusal=CLOSED_REFUSAL,
            status=Status.WAITING_INFO,
        )
        await self.access.done(officer, "case:ask", case.code)

        def build() -> list[OutgoingMessage]:
            text = _("{office} asks for more information about your case {code}:").format(
                office=office_name(case, self.settings), code=case.code
            )
            button = Button(_("➕ Add information"), TrackAddInfo(case.id))
            return [OutgoingMessage(f"{text}\n\n{question}", buttons=((button,),))]

        await self.notify_citizen(case, build)
        return case

    async def answer(
        self, actor: Recipient, case_id: int, text: str, files: Sequence[FileRef] = ()
    ) -> Case:
        """Relay an answer (text, photos, documents) to the citizen through the bot."""
        case = await self.get(case_id)
        officer = await self.authorize(actor, "answer", case)
        case = await self.change(
            case.id,
            OPEN,
            Action.ANSWERED,
            officer=officer,
            text=text,
            files=files,
            refusal=CLOSED_REFUSAL,
            status=Status.ANSWERED,
        )
        await self.access.done(officer, "case:answer", case.code)

        def build() -> list[OutgoingMessage]:
            head = _("Answer from {office} about your case {code}:").format(
                office=office_name(case, self.settings), code=case.code
            )
            caption = _("Attached to the answer about case {code}").format(code=case.code)
            ask = _("Did this answer make things clear?")
            # Asked with the answer itself, so the citizen need not wait for the closing.
            verdict = (
                Button(_("✅ Clear"), TrackClear(case.id)),
                Button(_("❓ Not clear"), TrackUnclear(case.id)),
            )
            answer = OutgoingMessage(f"{head}\n\n{text}\n\n{ask}", buttons=(verdict,))
            return [answer, *file_messages(caption, files)]

        await self.notify_citizen(case, build)
        return case

    async def close(self, actor: Recipient, case_id: int, status: Status, text: str = "") -> Case:
        """Transfer, resolve or reject: the case closes and the citizen may rate it."""
        action = {
            Status.TRANSFERRED: Action.TRANSFERRED,
            Status.RESOLVED: Action.RESOLVED,
            Status.REJECTED: Action.REJECTED,
        }[status]
        case = await self.get(case_id)
        officer = await self.authorize(actor, action.value, case)
        case = await self.change(
            case.id,
            OPEN,
            action,
            officer=officer,
            text=text,
            refusal=CLOSED_REFUSAL,
            status=status,
            closed_at=self.now(),
        )
        await self.access.done(officer, f"case:{action.value}", case.code)
        await self.notify_citizen(case, lambda: [self._closed_message(case, text)])
        return case

    def _closed_message(self, case: Case, text: str) -> OutgoingMessage:
        if case.status is Status.TRANSFERRED:
            lead = _(
                "Your case {code} is not within the commune's competence. Please contact: {where}"
            ).format(code=case.code, where=text)
        elif case.status is Status.REJECTED:
            lead = _("Your case {code} was not accepted. Reason: {reason}").format(
                code=case.code, reason=text
            )
        else:
            lead = _("Your case {code} has been resolved.").format(code=case.code)
            lead += f"\n{text}" if text else ""
        reopen = Button(_("🔁 Not satisfied: reopen"), TrackReopen(case.id))
        if case.rating is not None:  # already rated when the answer came
            return OutgoingMessage(lead, buttons=((reopen,),))
        ask = _("How satisfied are you with how it was handled? Rate from 1 to 5:")
        stars = tuple(Button("⭐" * n, TrackRate(case.id, n)) for n in range(1, 6))
        return OutgoingMessage(f"{lead}\n\n{ask}", buttons=(stars[:3], stars[3:], (reopen,)))


def _office_of(officer: Officer, case: Case) -> Role:
    for role in (Role.JUSTICE, Role.CHAIRMAN, *sorted(officer.roles)):
        if role in officer.roles:
            return role
    return case.office


def case_files(case: Case, events: Sequence[Event]) -> tuple[FileRef, ...]:
    """Every file of a case once: those it came with, then those of its events."""
    seen: dict[str, FileRef] = {f.ref: f for f in case.attachments}
    for event in events:
        for file in event.files:
            seen.setdefault(file.ref, file)
    return tuple(seen.values())
