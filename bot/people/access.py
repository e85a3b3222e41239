"""Server-side permission checks for officer actions, each one audited."""

from __future__ import annotations

from bot.messaging.channels import Recipient
from bot.people.audit import AuditLog
from bot.people.officers import Officer, OfficerRepository, Role


class PermissionDenied(Exception):
    """The person does not hold a role the action needs."""


class AccessControl:
    """Decides, at the moment of use, whether someone may do an officer action."""

    def __init__(self, officers: OfficerRepository, audit: AuditLog) -> None:
        self._officers = officers
        self._audit = audit

    async def authorize(
        self, actor: Recipient, action: str, roles: frozenset[Role], target: str = ""
    ) -> Officer:
        """Return the acting officer, or record the refusal and raise PermissionDenied."""
        officer = await self._officers.get(actor)
        if officer is None or not officer.has_any(roles):
            await self._audit.record(
                actor,
                action,
                officer_id=officer.id if officer else None,
                target=target,
                outcome="denied",
            )
            raise PermissionDenied(action)
        return officer

    async def done(self, officer: Officer, action: str, target: str = "", detail: str = "") -> None:
        """Record an officer action that was carried out."""
        await self._audit.record(
            officer.recipient, action, officer_id=officer.id, target=target, detail=detail
        )

    async def officer(self, actor: Recipient) -> Officer | None:
        return await self._officers.get(actor)
