"""Who a broadcast reaches: everyone, chosen villages, or followers of chosen topics."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from bot.core.config import Settings
from bot.people.citizens import Citizen

ALL = "all"
VILLAGES = "village"
TOPICS = "topic"


class AudienceError(ValueError):
    """An audience that cannot be understood or names what the commune does not have."""


@dataclass(frozen=True)
class Audience:
    """An audience rule; `ids` are village or topic ids (empty for everyone)."""

    kind: str = ALL
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The stored form: `all`, `village:a,b` or `topic:x,y`."""
        return self.kind if self.kind == ALL else f"{self.kind}:{','.join(self.ids)}"

    @classmethod
    def parse(cls, text: str, settings: Settings | None = None) -> Audience:
        """Read the stored or typed form; check the ids against `settings` when given."""
        kind, _, rest = text.strip().partition(":")
        if kind == ALL and not rest:
            return cls()
        ids = tuple(sorted({i.strip() for i in rest.split(",") if i.strip()}))
        if kind not in (VILLAGES, TOPICS) or not ids:
            raise AudienceError(f"audience {text!r}: write all, village:ID[,ID] or topic:ID[,ID]")
        if settings is not None:
            known = (
                {v.id for v in settings.villages}
                if kind == VILLAGES
                else {t.id for t in settings.topics}
            )
            unknown = sorted(set(ids) - known)
            if unknown:
                raise AudienceError(
                    f"unknown {kind} {unknown[0]!r}; known: {', '.join(sorted(known))}"
                )
        return cls(kind, ids)

    def toggled(self, kind: str, item: str) -> Audience:
        """The audience with `item` added or removed, switching kind if needed."""
        current = set(self.ids) if self.kind == kind else set()
        return Audience(kind, tuple(sorted(current ^ {item})))

    def matches(self, citizen: Citizen) -> bool:
        """Whether the citizen is in the audience: the rule the SQL below implements."""
        if not citizen.subscribed or citizen.blocked:
            return False
        return self.addresses(citizen.village_id, citizen.topics)

    def addresses(self, village_id: str | None, topics: Collection[str]) -> bool:
        """Whether the post was meant for someone of `village_id` following `topics`.

        The part of `matches` that does not depend on being reachable today:
        the archive uses it, since an unsubscribed citizen may still browse.
        """
        if self.kind == VILLAGES:
            return village_id in self.ids
        if self.kind == TOPICS:
            return not set(self.ids).isdisjoint(topics)
        return True

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A SELECT of (channel, external_id) of every citizen in the audience."""
        params: dict[str, Any] = {f"a{i}": v for i, v in enumerate(self.ids)}
        marks = ", ".join(f":{k}" for k in params)
        where = "c.subscribed = 1 AND c.blocked = 0"
        if self.kind == VILLAGES:
            where += f" AND c.village_id IN ({marks})"
        elif self.kind == TOPICS:
            where += (
                " AND c.id IN (SELECT t.citizen_id FROM citizen_topics t"
                f" WHERE t.topic_id IN ({marks}))"
            )
        return f"SELECT c.channel, c.external_id FROM citizens c WHERE {where}", params
