"""Onboarding and settings: the rules for subscribing, whatever the channel."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.config import LANGUAGES, Settings, nfc
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient
from bot.people.citizens import Citizen, CitizenRepository

_VILLAGE_PAYLOAD = re.compile(r"^v_([a-z0-9][a-z0-9_-]{0,31})$")


class UnknownChoice(ValueError):
    """A language, village or topic id that this commune does not have."""


@dataclass(frozen=True)
class StartResult:
    """What `/start` did: the citizen now, and whether they were new or returning."""

    citizen: Citizen
    is_new: bool
    resubscribed: bool
    preset_village: str | None


def parse_start_payload(payload: str | None, settings: Settings) -> str | None:
    """Return the village id of a poster's deep link (`v_<village id>`), if valid."""
    match = _VILLAGE_PAYLOAD.match(payload or "")
    if match and settings.village(match.group(1)):
        return match.group(1)
    return None


def initial_language(hint: str | None, settings: Settings) -> str:
    """Pick the language a new citizen is greeted in from their app's language."""
    code = (hint or "").split("-")[0].lower()
    return code if code in LANGUAGES else settings.default_language


class Subscriptions:
    """Subscribe, choose language, village and topics, unsubscribe."""

    def __init__(self, citizens: CitizenRepository, settings: Settings) -> None:
        self._citizens = citizens
        self._settings = settings

    async def find(self, recipient: Recipient) -> Citizen | None:
        return await self._citizens.get(recipient)

    async def start(
        self,
        recipient: Recipient,
        display_name: str,
        language_hint: str | None,
        payload: str | None = None,
    ) -> StartResult:
        """Register a new citizen, or resubscribe a returning one."""
        village = parse_start_payload(payload, self._settings)
        existing = await self._citizens.get(recipient)
        if existing is None:
            citizen = await self._citizens.create(
                recipient,
                clean_line(nfc(display_name)),
                initial_language(language_hint, self._settings),
                village,
            )
            return StartResult(citizen, is_new=True, resubscribed=False, preset_village=village)
        changes: dict[str, object] = {"subscribed": 1, "blocked": 0}
        if village:
            changes["village_id"] = village
        await self._citizens.update(existing.id, **changes)
        citizen = await self._require(recipient)
        resubscribed = not existing.subscribed or existing.blocked
        return StartResult(citizen, False, resubscribed=resubscribed, preset_village=village)

    async def choose_language(self, recipient: Recipient, language: str) -> Citizen:
        if language not in LANGUAGES:
            raise UnknownChoice(language)
        return await self._set(recipient, language=language)

    async def choose_village(self, recipient: Recipient, village_id: str) -> Citizen:
        if self._settings.village(village_id) is None:
            raise UnknownChoice(village_id)
        return await self._set(recipient, village_id=village_id)

    async def toggle_topic(self, recipient: Recipient, topic_id: str) -> Citizen:
        if self._settings.topic(topic_id) is None:
            raise UnknownChoice(topic_id)
        citizen = await self._require(recipient)
        await self._citizens.set_topics(citizen.id, citizen.topics ^ {topic_id})
        return await self._require(recipient)

    async def finish_onboarding(self, recipient: Recipient) -> Citizen:
        return await self._set(recipient, onboarded=1, subscribed=1)

    async def unsubscribe(self, recipient: Recipient) -> Citizen:
        return await self._set(recipient, subscribed=0)

    async def mark_blocked(self, recipient: Recipient, blocked: bool = True) -> None:
        """Record that the citizen blocked the bot (nothing more is sent) or unblocked it."""
        citizen = await self._citizens.get(recipient)
        if citizen is not None and citizen.blocked != blocked:
            await self._citizens.update(citizen.id, blocked=int(blocked))

    async def _set(self, recipient: Recipient, **fields: object) -> Citizen:
        citizen = await self._require(recipient)
        await self._citizens.update(citizen.id, **fields)
        return await self._require(recipient)

    async def _require(self, recipient: Recipient) -> Citizen:
        citizen = await self._citizens.get(recipient)
        if citizen is None:
            raise LookupError(f"no citizen for {recipient}")
        return citizen
