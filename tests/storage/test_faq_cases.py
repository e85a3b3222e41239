"""The FAQ and the cases joined on a real SQLite file: the question desk and publishing."""

from datetime import date
from typing import Any

import pytest

from bot.cases.core import CaseError
from bot.cases.model import Kind, Status, Topic
from bot.cases.service import CaseService
from bot.faq.case_desk import TOO_MANY, CaseQuestionDesk, latest_answer, publish_answer
from bot.faq.desk import DeskRefused
from bot.faq.matcher import Verdict
from bot.faq.service import FaqService
from bot.messaging.channels import Recipient
from bot.people.access import AccessControl, PermissionDenied
from bot.people.audit import AuditLog
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role
from tests.storage.test_cases import HOA, LAN, TU, Recorder, draft, submit

QUESTION = "Khi nào đường liên thôn được đổ bê tông?"
ANSWER = "Tháng 6 năm nay xã sẽ đổ bê tông."


@pytest.fixture
async def joined(db, settings, clock) -> tuple[CaseService, FaqService, Recorder]:
    officers = OfficerRepository(db, clock)
    await officers.add(HOA, "Chị Hoa", {Role.OFFICE})
    await officers.add(TU, "Anh Tư", {Role.JUSTICE})
    access = AccessControl(officers, AuditLog(db, clock))
    notifier = Recorder()
    citizens = CitizenRepository(db, clock)
    cases = CaseService.create(db, settings, clock, officers, citizens, access, notifier)
    await cases.start()
    faq = await FaqService.open(db, clock, settings, CaseQuestionDesk(cases))
    return cases, faq, notifier


async def ask_and_send(faq: FaqService, who: Recipient = LAN) -> Any:
    reply = await faq.ask(QUESTION, who)
    assert reply.verdict is Verdict.NONE and reply.query_id is not None
    return await faq.send_to_officers(reply.query_id, who, "vi")


async def test_a_question_sent_on_is_a_question_case_with_its_deadline(joined, db, clock) -> None:
    cases, faq, notifier = joined
    await CitizenRepository(db, clock).create(LAN, "Lan", "vi", "tan-hung")
    assert faq.answer_within_days == 10  # [cases.deadlines] question
    receipt = await ask_and_send(faq)
    case = await cases.repo.by_code(receipt.code)
    assert case is not None and receipt.code.startswith("PA-")
    assert (case.kind, case.status, case.topic) == (Kind.QUESTION, Status.NEW, Topic.OTHER)
    assert case.description == QUESTION and case.reporter == LAN
    assert case.village_id == "tan-hung"
    assert receipt.due == case.due_on == date(2026, 3, 16)  # 10 working days from 2 March
    assert receipt.code in notifier.texts_to(HOA)  # "other" goes to the office


async def test_the_daily_limit_is_a_refusal_with_a_reason(joined) -> None:
    cases, faq, _ = joined
    for n in range(cases.config.max_cases_per_day):
        await cases.submit_question(LAN, f"Câu hỏi số {n}")
    with pytest.raises(DeskRefused) as refused:
        await ask_and_send(faq)
    assert refused.value.reason == TOO_MANY
    assert (await faq.stats()).sent_to_officers == 0


async def test_an_answer_is_published_once_by_a_handling_officer(joined, db, clock) -> None:
    cases, faq, _ = joined
    receipt = await ask_and_send(faq)
    case = await cases.repo.by_code(receipt.code)
    await cases.answer(HOA, case.id, ANSWER)
    answer = await latest_answer(cases, await cases.get(case.id))
    assert answer is not None and answer.text == ANSWER

    done = await publish_answer(cases, faq, HOA, case.id, answer.id)
    assert done.publication.first and done.publication.entry.question == QUESTION
    assert done.publication.entry.answer == ANSWER
    again = await publish_answer(cases, faq, TU, case.id, answer.id)  # justice may too
    assert not again.publication.first
    assert again.publication.entry.id == done.publication.entry.id

    reply = await faq.ask("khi nao duong lien thon duoc do be tong")
    assert reply.verdict is Verdict.CONFIDENT and reply.best is not None
    assert reply.best.entry.answer == ANSWER
    audit = await AuditLog(db, clock).recent()
    published = [e for e in audit if e.action == "faq:publish" and e.outcome == "ok"]
    assert [(e.target, e.officer_id) for e in published] == [(case.code, done.officer.id)]


async def test_publishing_is_refused_to_citizens_and_for_forged_data(joined, db, clock) -> None:
    cases, faq, _ = joined
    receipt = await ask_and_send(faq)
    case = await cases.repo.by_code(receipt.code)
    await cases.answer(HOA, case.id, ANSWER)
    answer = await latest_answer(cases, await cases.get(case.id))
    assert answer is not None
    with pytest.raises(PermissionDenied):
        await publish_answer(cases, faq, LAN, case.id, answer.id)
    with pytest.raises(PermissionDenied):  # even for a case that does not exist
        await publish_answer(cases, faq, LAN, case.id + 99, answer.id)
    feedback = await submit(cases, draft(Kind.FEEDBACK))
    await cases.answer(HOA, feedback.id, "Đã sửa đèn.")
    feedback_answer = await latest_answer(cases, await cases.get(feedback.id))
    assert feedback_answer is None  # only questions are offered
    submitted_event = (await cases.repo.events(case.id))[0]
    for case_id, event_id in (
        (case.id, submitted_event.id),  # not an answer
        (feedback.id, answer.id),  # another case's answer
        (case.id, answer.id + 1000),
    ):
        with pytest.raises(CaseError):
            await publish_answer(cases, faq, HOA, case_id, event_id)
    assert (await faq.ask(QUESTION)).verdict is Verdict.NONE
    denied = [e for e in await AuditLog(db, clock).recent(50) if e.outcome == "denied"]
    assert {(e.actor, e.action) for e in denied} == {(LAN, "faq:publish")}
