"""`/mydata` for every feature: what the bot holds about a citizen, erasure, and expiry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.cases.privacy import MyData, Privacy
from bot.consultations.repository import ConsultationRepository
from bot.core.clock import Clock
from bot.core.config import ConfigError
from bot.dialogues.model import Question
from bot.dialogues.repository import DialogueRepository
from bot.messaging.channels import Recipient
from bot.messaging.outbox import Outbox
from bot.privacy.records import Messages, PersonalRecords, Questions
from bot.reception.model import Booking
from bot.reception.repository import ReceptionRepository

SECTION = "privacy"


@dataclass(frozen=True)
class PrivacyOptions:
    """The `[privacy]` table of config.toml."""

    notification_days: int = 30  # a delivered notification's text is kept this long
    cleanup_time: time = time(3, 30)  # when the daily expiry runs, commune time

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> PrivacyOptions:
        unknown = sorted(set(section) - {"notification_days", "cleanup_time"})
        if unknown:
            raise ConfigError(f"[{SECTION}] {unknown[0]}", "unknown setting")
        days = section.get("notification_days", cls.notification_days)
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
            raise ConfigError(
                f"[{SECTION}] notification_days", "must be a whole number of days from 1 to 3650"
            )
        at = section.get("cleanup_time", cls.cleanup_time.strftime("%H:%M"))
        try:
            cleanup = time.fromisoformat(at) if isinstance(at, str) else None
        except ValueError:
            cleanup = None
        if cleanup is None:
            raise ConfigError(f"[{SECTION}] cleanup_time", 'must be a time such as "03:30"')
        return cls(notification_days=days, cleanup_time=cleanup)


@dataclass(frozen=True)
class Holdings:
    """Everything the bot holds about one person, feature by feature."""

    cases: MyData
    subscription: list[tuple[datetime, str]]
    questions: Questions
    messages: Messages
    public_answers: list[str]  # codes of their cases with an answer made public
    # Their answers to consultations: (title, option chosen, comment).
    answers: list[tuple[str, str, str | None]] = field(default_factory=list)
    # Their questions to dialogues and voter meetings: (the event's title, the question).
    dialogue_questions: list[tuple[str, Question]] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)  # citizen reception bookings
    # When they last wrote, kept where a channel has a window (Zalo OA).
    last_heard: datetime | None = None


@dataclass(frozen=True)
class Erased:
    """What one erasure removed."""

    contacts: int  # cases that held a name or phone
    questions: int  # FAQ questions no longer linked to the person
    # Notifications whose text was erased: delivered to them or with their phone,
    # and those held for them by a channel's window (Zalo OA).
    notifications: int
    answers: int = 0  # consultation answers unlinked from them
    bookings: int = 0  # reception bookings that held a name or phone


class PersonalData:
    """Shows, erases and expires a citizen's personal data across features."""

    def __init__(
        self,
        cases: Privacy,
        records: PersonalRecords,
        clock: Clock,
        options: PrivacyOptions,
        consultations: ConsultationRepository | None = None,
        dialogues: DialogueRepository | None = None,
        reception: ReceptionRepository | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self._outbox = outbox
        self._consultations = consultations
        self._dialogues = dialogues
        self._reception = reception
        self._cases = cases
        self._records = records
        self._clock = clock
        self.options = options

    async def holdings(self, who: Recipient) -> Holdings:
        cases = await self._cases.my_data(who)
        citizen = cases.citizen
        history = await self._records.subscription_history(citizen.id) if citizen else []
        return Holdings(
            cases=cases,
            subscription=history,
            questions=await self._records.questions(who),
            messages=await self._records.messages(who),
            public_answers=await self._records.public_answer_codes(who),
            answers=await self._answers(citizen.id) if citizen else [],
            dialogue_questions=(
                await self._dialogues.questions_of(citizen.id)
                if citizen and self._dialogues
                else []
            ),
            bookings=await self._reception.of_citizen(who) if self._reception else [],
            last_heard=await self._last_heard(who),
        )

    async def _last_heard(self, who: Recipient) -> datetime | None:
        heard = await self._outbox.heard_at(who) if self._outbox is not None else None
        return None if heard is None else datetime.fromtimestamp(heard, tz=UTC)

    async def _answers(self, citizen_id: int) -> list[tuple[str, str, str | None]]:
        if self._consultations is None:
            return []
        found = await self._consultations.answers_of(citizen_id)
        return [(c.title, option, comment) for c, option, comment in found]

    async def erase(self, who: Recipient) -> Erased:
        """Erase names, phones and the display name; detach questions; blank delivered
        texts and those held for the person; forget when they last wrote.

        The content of cases stays as the law requires (see bot.cases.privacy);
        the subscription (village, topics, history) stays while the person uses
        the bot, since it is how announcements reach them and how they are counted.
        """
        mine = await self._cases.my_data(who)
        phones = [c.phone for c in mine.contacts if c.phone]
        bookings = await self._reception.of_citizen(who) if self._reception else []
        phones += [b.phone for b in bookings if b.phone and b.phone not in phones]
        contacts = await self._cases.erase_contacts(who)
        questions, notifications = await self._records.erase(who, phones)
        if self._outbox is not None:
            notifications += await self._outbox.forget(who)
        answers = 0
        if self._consultations is not None and mine.citizen is not None:
            # Closed results keep the count, anonymised; open ones lose the answer.
            answers = await self._consultations.erase_citizen(mine.citizen.id)
        booked = await self._reception.erase_contacts(who) if self._reception else 0
        await self._records.purge_wal()
        return Erased(contacts, questions, notifications, answers, booked)

    async def expire(self) -> int:
        """Blank the text of notifications delivered more than the configured days ago."""
        before = self._clock.now() - timedelta(days=self.options.notification_days)
        blanked = await self._records.expire_notification_texts(before)
        if blanked:
            await self._records.purge_wal()
        return blanked
