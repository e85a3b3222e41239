"""Where the FAQ meets the cases: unanswered questions become question cases, answers entries.

Neither feature imports the other; this module knows both and
`bot/services.py` gives the FAQ a `CaseQuestionDesk`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cases.core import CaseError, TooManyCases
from bot.cases.model import Action, Case, Event, Kind
from bot.cases.permissions import handling_roles
from bot.cases.service import CaseService
from bot.core.i18n import N_
from bot.faq.desk import DeskRefused, Receipt
from bot.faq.service import FaqService, Publication
from bot.messaging.channels import Recipient
from bot.people.officers import Officer, Role

PUBLISH_ACTION = "faq:publish"
TOO_MANY = N_(
    "You have sent many questions and requests today, so this one was not sent. "
    "Please send it again tomorrow, or call the commune office."
)


class CaseQuestionDesk:
    """The FAQ's desk in the bot: a question it cannot answer opens a question case.

    The case gets a code the citizen can /track, a legal deadline and the
    officers' buttons; the officers are told at once.
    """

    def __init__(self, cases: CaseService) -> None:
        self._cases = cases

    @property
    def answer_within_days(self) -> int:
        return self._cases.config.deadlines.question

    async def submit(self, asker: Recipient, text: str, *, language: str) -> Receipt:
        citizen = await self._cases.citizens.get(asker)
        try:
            case = await self._cases.submit_question(
                asker,
                text,
                village_id=citizen.village_id if citizen else None,
                language=language,
            )
        except TooManyCases as exc:
            raise DeskRefused(TOO_MANY) from exc
        return Receipt(case.code, case.due_on)


@dataclass(frozen=True)
class EditedEntry:
    """What an officer publishes: the question and answer as corrected, and for which village."""

    question: str
    answer: str
    village_id: str | None  # None: every village


@dataclass(frozen=True)
class Published:
    """A question case's answer in the FAQ, and the officer who pressed the button."""

    officer: Officer
    case: Case
    publication: Publication


async def latest_answer(cases: CaseService, case: Case) -> Event | None:
    """The last answer sent on a question case: what the publish button offers."""
    if case.kind is not Kind.QUESTION:
        return None
    answers = [e for e in await cases.repo.events(case.id) if e.action is Action.ANSWERED]
    return answers[-1] if answers else None


async def answer_to_publish(
    cases: CaseService,
    actor: Recipient,
    case_id: int | None,
    answer_id: int | None,
) -> tuple[Officer, Case, Event]:
    """The answer event `answer_id` of question case `case_id`, for an officer to publish.

    Checked on the server at every step: the actor must be an officer who may
    handle the case (PermissionDenied, audited); the event must be an answer
    of that question case (CaseError; None stands for ids a button did not
    hold). The citizen's question and the officer's words come from the case
    log, never from the button.
    """
    # Anyone not an officer is refused before any data of theirs is looked at.
    await cases.access.authorize(actor, PUBLISH_ACTION, frozenset(Role))
    if case_id is None or answer_id is None:
        raise CaseError(N_("This choice is out of date."))
    case = await cases.get(case_id)
    roles = handling_roles(case, cases.config.routing)
    officer = await cases.access.authorize(actor, PUBLISH_ACTION, roles, target=case.code)
    answer = next(
        (e for e in await cases.repo.events(case.id) if e.id == answer_id),
        None,
    )
    if case.kind is not Kind.QUESTION or answer is None or answer.action is not Action.ANSWERED:
        raise CaseError(N_("There is no answer to a question here to publish."))
    return officer, case, answer


def publication_ref(case: Case, answer: Event) -> str:
    """What an answer is published as, once: the same answer never makes two entries."""
    return f"case:{case.code}:answer:{answer.id}"


async def publish_answer(
    cases: CaseService,
    faq: FaqService,
    actor: Recipient,
    case_id: int | None,
    answer_id: int | None,
    edited: EditedEntry | None = None,
) -> Published:
    """Publish the answer event `answer_id` of question case `case_id` as an FAQ entry.

    `edited` is the question and answer as the officer corrected them (the
    citizen typed "khi nao hop dan"), and the village the entry holds for;
    without it, the case log's words for every village. Checked as in
    `answer_to_publish`; the same answer is published once.
    """
    officer, case, answer = await answer_to_publish(cases, actor, case_id, answer_id)
    if edited is None:
        edited = EditedEntry(case.description, answer.text, None)
    publication = await faq.publish(
        edited.question,
        edited.answer,
        ref=publication_ref(case, answer),
        village_id=edited.village_id,
    )
    if publication.first:
        detail = f"entry {publication.entry.id}"
        await cases.access.done(officer, PUBLISH_ACTION, case.code, detail=detail)
    return Published(officer, case, publication)
