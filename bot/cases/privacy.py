"""A citizen's personal data (Decree 13/2023/NĐ-CP): what the bot holds, and erasure.

Erasure removes names and phone numbers; the content of cases stays, as the
law requires records of what citizens raised, with the identity removed. A
closed case also loses its link to the chat; an open one keeps it so the
answer can still reach the citizen, who is told so.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cases.drafts import INTAKE, draft_from_data, erase_draft_contacts
from bot.cases.model import Action, Case, Contact
from bot.cases.repository import CaseRepository
from bot.core.clock import Clock
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore
from bot.people.citizens import Citizen, CitizenRepository


@dataclass(frozen=True)
class MyData:
    """Everything the bot holds about one person."""

    citizen: Citizen | None
    cases: list[Case]
    draft_contact: Contact | None

    @property
    def contacts(self) -> list[Contact]:
        found = [c.contact for c in self.cases if c.contact is not None]
        if self.draft_contact is not None:
            found.append(self.draft_contact)
        return list(dict.fromkeys(found))


class Privacy:
    """/mydata: show a citizen their data and erase their contact details."""

    def __init__(
        self,
        repo: CaseRepository,
        drafts: ConversationStore,
        citizens: CitizenRepository,
        clock: Clock,
    ) -> None:
        self._repo = repo
        self._drafts = drafts
        self._citizens = citizens
        self._clock = clock

    async def my_data(self, who: Recipient) -> MyData:
        draft = await self._drafts.get(who, INTAKE)
        return MyData(
            citizen=await self._citizens.get(who),
            cases=await self._repo.of_reporter(who, limit=1000),
            draft_contact=draft_from_data(draft).contact if draft else None,
        )

    async def erase_contacts(self, who: Recipient) -> int:
        """Erase names and phones everywhere; return how many cases held some."""
        data = await self.my_data(who)
        now = self._clock.now()
        erased = 0
        async with self._repo.db.transaction() as tx:
            for case in data.cases:
                fields: dict[str, object] = {}
                if case.contact is not None:
                    fields.update(contact_name=None, contact_phone=None)
                if not case.status.open:
                    fields.update(reporter_channel=None, reporter_external_id=None)
                if fields:
                    await self._repo.update(tx, case.id, now, **fields)
                if case.contact is not None:
                    erased += 1
                    await self._repo.append(tx, case.id, now, Action.CONTACT_ERASED)
        await erase_draft_contacts(self._drafts, who)
        if data.citizen is not None and data.citizen.display_name:
            await self._citizens.update(data.citizen.id, display_name="")
        return erased
