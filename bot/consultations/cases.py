"""A citizen's comment an officer turns into a case: opened by bot.cases, with its deadline."""

from __future__ import annotations

from datetime import date

from bot.cases.core import CaseError
from bot.cases.service import CaseService
from bot.consultations.rules import ConsultationError
from bot.people.citizens import Citizen


class CommentCases:
    """Implements the consultations' `CaseDesk` over the case service."""

    def __init__(self, cases: CaseService) -> None:
        self._cases = cases

    async def open_case(self, citizen: Citizen, text: str) -> tuple[int, str, date]:
        """A question case in the citizen's name; the responsible officers are told as usual."""
        try:
            case = await self._cases.submit_question(
                citizen.recipient, text, village_id=citizen.village_id, language=citizen.language
            )
        except CaseError as exc:  # e.g. the citizen's daily limit of new cases
            raise ConsultationError(exc.text) from exc
        return case.id, case.code, case.due_on
