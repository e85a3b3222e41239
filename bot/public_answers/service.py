"""Making answers public: preview, confirm, withdraw (officers), and browsing (citizens).

Every officer action is checked on the server when the button is pressed: the
officer must hold a role that may handle the case (refusals are audited), the
case must be feedback or a petition, and the answer must be one of its own.
The text citizens read is the one the officer saw in the preview, revision
for revision.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.cases.core import CaseError
from bot.cases.model import Action, Case, Event, Kind, Topic
from bot.cases.permissions import handling_roles
from bot.cases.service import CaseService
from bot.core.config import ConfigError, nfc
from bot.core.i18n import N_
from bot.messaging.actions import MAX_INT
from bot.messaging.channels import Recipient
from bot.people.officers import Officer, Role
from bot.public_answers.masking import mask_personal, name_variants
from bot.public_answers.repository import Draft, PublicAnswer, PublicAnswerRepository, State

PUBLISHABLE = frozenset({Kind.FEEDBACK, Kind.PETITION})
PUBLISH, WITHDRAW = "public:publish", "public:withdraw"
SUMMARY_MAX = 1000
ANSWER_MAX = 2500
OUT_OF_DATE = N_("This choice is out of date.")


class AlreadyPublic(CaseError):
    def __init__(self, entry: PublicAnswer) -> None:
        super().__init__(N_("This answer is already public."))
        self.entry = entry


@dataclass(frozen=True)
class PublicOptions:
    """The `[public_answers]` table of config.toml."""

    page_size: int = 3

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> PublicOptions:
        unknown = sorted(set(section) - {"page_size"})
        if unknown:
            raise ConfigError(f"[public_answers] {unknown[0]}", "unknown setting")
        size = section.get("page_size", cls.page_size)
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 5:
            raise ConfigError("[public_answers] page_size", "must be a whole number from 1 to 5")
        return cls(page_size=size)


@dataclass(frozen=True)
class Page:
    """A page of published answers, newest first."""

    entries: list[PublicAnswer]
    number: int  # from 0
    pages: int
    total: int
    first: int  # the place of the first entry in the whole list, from 1


def clamp(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PublicAnswers:
    """The service handlers call; it knows cases, never a channel."""

    def __init__(
        self, repo: PublicAnswerRepository, cases: CaseService, options: PublicOptions
    ) -> None:
        self.repo = repo
        self.cases = cases
        self.options = options

    async def offerable(self, case: Case) -> Event | None:
        """The answer a "make public" button may offer: the last one of feedback or a petition."""
        if case.kind not in PUBLISHABLE:
            return None
        answers = [e for e in await self.cases.repo.events(case.id) if e.action is Action.ANSWERED]
        return answers[-1] if answers else None

    async def _authorize(self, actor: Recipient, action: str, case_id: int) -> tuple[Officer, Case]:
        # Anyone not an officer is refused before any data of theirs is looked at.
        await self.cases.access.authorize(actor, action, frozenset(Role))
        case = await self.cases.get(case_id)
        roles = handling_roles(case, self.cases.config.routing)
        officer = await self.cases.access.authorize(actor, action, roles, target=case.code)
        return officer, case

    async def prepare(self, actor: Recipient, case_id: int, answer_id: int) -> PublicAnswer:
        """Make (or remake) the preview of an answer: the citizen's words masked."""
        officer, case = await self._authorize(actor, PUBLISH, case_id)
        answer = next((e for e in await self.cases.repo.events(case.id) if e.id == answer_id), None)
        if case.kind not in PUBLISHABLE:
            raise CaseError(N_("Only answers to feedback and petitions can be made public."))
        if answer is None or answer.action is not Action.ANSWERED or not answer.text.strip():
            raise CaseError(N_("There is no answer here to make public."))
        known = _known_words(case)
        local = answer.at.astimezone(self.cases.settings.timezone)
        draft = Draft(
            case_id=case.id,
            answer_event_id=answer.id,
            kind=case.kind,
            topic=case.topic,
            village_id=case.village_id,
            month=f"{local.year:04d}-{local.month:02d}",
            summary=clamp(mask_personal(case.description, known), SUMMARY_MAX),
            answer=clamp(mask_personal(answer.text, known), ANSWER_MAX),
        )
        entry = await self.repo.prepare(draft, officer.id, self.cases.now())
        if entry is None:
            found = await self.repo.by_answer(answer.id)
            assert found is not None
            raise AlreadyPublic(found)
        return entry

    async def _entry_for(
        self, actor: Recipient, action: str, entry_id: int
    ) -> tuple[Officer, PublicAnswer, Case]:
        await self.cases.access.authorize(actor, action, frozenset(Role))
        entry = await self.repo.get(entry_id)
        if entry is None:
            raise CaseError(OUT_OF_DATE)
        officer, case = await self._authorize(actor, action, entry.case_id)
        return officer, entry, case

    async def check_preview(self, actor: Recipient, entry_id: int) -> PublicAnswer:
        """The preview an officer is about to rewrite, if they may and it still is one."""
        _officer, entry, _case = await self._entry_for(actor, PUBLISH, entry_id)
        if entry.state is not State.PREVIEW:
            raise CaseError(OUT_OF_DATE)
        return entry

    async def rewrite(self, actor: Recipient, entry_id: int, summary: str) -> PublicAnswer:
        """Put the officer's own summary in the preview (masked as well)."""
        _officer, entry, case = await self._entry_for(actor, PUBLISH, entry_id)
        text = clamp(mask_personal(nfc(summary.strip()), _known_words(case)), SUMMARY_MAX)
        if not text or not await self.repo.rewrite(entry.id, text):
            raise CaseError(OUT_OF_DATE)
        found = await self.repo.get(entry.id)
        assert found is not None
        return found

    async def publish(self, actor: Recipient, entry_id: int, revision: int) -> PublicAnswer:
        """Publish the preview the officer confirmed; a second press publishes nothing more."""
        officer, entry, case = await self._entry_for(actor, PUBLISH, entry_id)
        if entry.state is State.PUBLISHED:
            raise AlreadyPublic(entry)
        if not await self.repo.publish(entry.id, revision, officer.id, self.cases.now()):
            raise CaseError(N_("This preview is out of date: please use the latest one."))
        await self.cases.access.done(officer, PUBLISH, case.code, detail=f"entry {entry.id}")
        found = await self.repo.get(entry.id)
        assert found is not None
        return found

    async def cancel(self, actor: Recipient, entry_id: int) -> None:
        await self._entry_for(actor, PUBLISH, entry_id)
        await self.repo.discard(entry_id)

    async def withdraw(self, actor: Recipient, entry_id: int) -> PublicAnswer:
        """Hide a published answer from citizens again."""
        officer, entry, case = await self._entry_for(actor, WITHDRAW, entry_id)
        if not await self.repo.withdraw(entry.id, officer.id, self.cases.now()):
            raise CaseError(N_("This answer is not public any more."))
        await self.cases.access.done(officer, WITHDRAW, case.code, detail=f"entry {entry.id}")
        return entry

    async def officer_page(self, actor: Recipient, number: int) -> Page:
        """The published answers for an officer to review or withdraw (any officer)."""
        await self.cases.access.authorize(actor, "command:public", frozenset(Role))
        return await self.page(None, number, size=5)

    async def topics(self) -> dict[Topic, int]:
        """How many answers are public in each topic, in the topics' order."""
        counts = await self.repo.topic_counts()
        return {t: counts[t] for t in Topic if counts.get(t)}

    async def page(self, topic: Topic | None, number: int, size: int | None = None) -> Page:
        size = size or self.options.page_size
        # A page far past the end (a forged button) is clamped below once the total is
        # known; until then its offset must stay within SQLite's integers.
        number = min(max(number, 0), MAX_INT // size)
        entries, total = await self.repo.published(topic, number * size, size)
        pages = max(1, -(-total // size))
        if number >= pages:  # a stale button after a withdrawal: show the last page
            number = pages - 1
            entries, total = await self.repo.published(topic, number * size, size)
        return Page(entries, number, pages, total, number * size + 1)

    async def public_entry(self, entry_id: int) -> PublicAnswer | None:
        entry = await self.repo.get(entry_id)
        return entry if entry is not None and entry.state is State.PUBLISHED else None


def _known_words(case: Case) -> list[str]:
    """The name and phone the citizen shared: masked wherever they were typed."""
    if case.contact is None:
        return []
    return [*name_variants(case.contact.name), case.contact.phone]
