"""Open cases near or past their deadline, as the duties' daily sweep sees them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.cases.model import KIND_NAMES, Case, Kind
from bot.cases.repository import CaseFilter, CaseRepository
from bot.duties.sweep import CaseAlert
from bot.people.officers import Officer, OfficerRepository

# Enough for a commune; the sweep tells each handler one line per case.
_LIMIT = 500


class CaseSweepAdapter:
    """Implements the sweep's `CaseSweepSource` on the cases repository.

    The alert names the case by its code and kind only: a reminder or an
    escalation never carries what the citizen wrote, nor who they are.
    """

    def __init__(self, repo: CaseRepository, officers: OfficerRepository) -> None:
        self._repo = repo
        self._officers = officers

    async def due_soon(self, today: date, until: date) -> Sequence[CaseAlert]:
        cases = await self._repo.open_cases(
            CaseFilter(kinds=frozenset(Kind), overdue_on=until + timedelta(days=1)), _LIMIT
        )
        officers = await self._officers.all()
        return [_alert(c, officers) for c in cases if c.due_on >= today]

    async def overdue(self, today: date) -> Sequence[CaseAlert]:
        cases = await self._repo.open_cases(
            CaseFilter(kinds=frozenset(Kind), overdue_on=today), _LIMIT
        )
        officers = await self._officers.all()
        return [_alert(c, officers) for c in cases]


def _alert(case: Case, officers: list[Officer]) -> CaseAlert:
    """The sweep's view of a case: its code and kind, and who handles it."""
    if case.assignee_id is not None:
        handlers = [o.recipient for o in officers if o.id == case.assignee_id]
    else:
        handlers = [o.recipient for o in officers if case.office in o.roles]
    return CaseAlert(
        reference=case.code,
        title=KIND_NAMES[case.kind],  # a message id: shown in each officer's language
        deadline=case.due_on,
        handlers=tuple(handlers),
    )
