"""The case service on a real SQLite file: log, drafts, limits, entry point, erasure."""

import sqlite3
from datetime import date, timedelta

import pytest

from bot.cases.core import TooManyCases, WrongState
from bot.cases.drafts import INTAKE, draft_to_data
from bot.cases.model import Action, Contact, Draft, FileRef, Kind, Status, Topic
from bot.cases.service import CaseService, DraftGone
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.people.access import AccessControl, PermissionDenied
from bot.people.audit import AuditLog
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role

LAN = Recipient.telegram(1001)
HOA = Recipient.telegram(2001)
TU = Recipient.telegram(2002)


class Recorder:
    """A notifier that keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None:
        self.sent.append((recipient, message))

    def texts_to(self, who: Recipient) -> str:
        return "\n".join(m.text for r, m in self.sent if r == who)


@pytest.fixture
async def world(db, settings, clock):
    officers = OfficerRepository(db, clock)
    await officers.add(HOA, "Chị Hoa", {Role.OFFICE})
    await officers.add(TU, "Anh Tư", {Role.JUSTICE})
    citizens = CitizenRepository(db, clock)
    access = AccessControl(officers, AuditLog(db, clock))
    notifier = Recorder()
    service = CaseService.create(db, settings, clock, officers, citizens, access, notifier)
    await service.start()
    return service, notifier


def draft(kind: Kind = Kind.FEEDBACK, text: str = "Đèn đường hỏng ở ngõ 3") -> Draft:
    contact = Contact("Nguyễn Thị Lan", "0900001001")
    return Draft(
        step="review",
        kind=kind,
        topic=Topic.ROADS,
        village_id="tan-hung",
        description=text,
        files=(FileRef("photo", "PHOTO1"),),
        contact=contact,
        consent=True,
    )


async def submit(service: CaseService, d: Draft, who: Recipient = LAN):
    await service.conversations.put(who, INTAKE, draft_to_data(d))
    return await service.submit(who, d, "vi")


async def test_submit_commits_case_event_and_files_then_forgets_the_form(world, clock) -> None:
    service, _ = world
    case = await submit(service, draft())
    assert case.status is Status.NEW and case.due_on == date(2026, 3, 16)
    assert case.office is Role.OFFICE and case.attachments == (FileRef("photo", "PHOTO1"),)
    assert service.conversations.flow_of(LAN) is None
    with pytest.raises(DraftGone):  # the same form sent again
        await service.submit(LAN, draft(), "vi")


async def test_the_event_log_is_append_only(world, db) -> None:
    service, _ = world
    case = await submit(service, draft())
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute("UPDATE case_events SET text = 'x' WHERE case_id = ?", (case.id,))
    with pytest.raises(sqlite3.IntegrityError):
        await db.execute("DELETE FROM case_events WHERE case_id = ?", (case.id,))


async def test_daily_limit_and_duplicate_text(world, clock) -> None:
    service, _ = world
    for _ in range(5):
        await submit(service, draft(text="Đèn đường hỏng ở ngõ 3"))
    with pytest.raises(TooManyCases):
        await service.check_limit(LAN)
    assert await service.duplicate_of(LAN, "  đèn ĐƯỜNG hỏng   ở ngõ 3 ")
    assert not await service.duplicate_of(LAN, "Chuyện khác hẳn")
    clock.advance(timedelta(days=1, seconds=1))
    await service.check_limit(LAN)


async def test_submit_question_is_the_faq_entry_point(world) -> None:
    service, notifier = world
    case = await service.submit_question(LAN, "Làm giấy khai sinh cần gì?", topic=Topic.OTHER)
    assert case.kind is Kind.QUESTION and case.status is Status.NEW and case.contact is None
    assert case.due_on == date(2026, 3, 16)
    assert case.code in notifier.texts_to(HOA)


async def test_officer_actions_check_roles_and_states(world) -> None:
    service, notifier = world
    case = await submit(service, draft(Kind.COMPLAINT))
    with pytest.raises(PermissionDenied):  # the office does not handle complaints
        await service.accept(HOA, case.id)
    accepted = await service.accept(TU, case.id)
    assert accepted.due_on == date(2026, 4, 13)  # 30 working days from acceptance
    with pytest.raises(WrongState):
        await service.accept(TU, case.id)
    await service.close(TU, case.id, Status.REJECTED, "Không thuộc thẩm quyền")
    assert "Không thuộc thẩm quyền" in notifier.texts_to(LAN)
    with pytest.raises(WrongState):
        await service.ask_info(TU, case.id, "?")
    reopened = await service.reopen(LAN, case.id, "Tôi chưa đồng ý")
    assert reopened.status is Status.ACCEPTED and reopened.closed_at is None


async def test_erasure_keeps_content_and_removes_identity(world) -> None:
    service, _ = world
    open_case = await submit(service, draft())
    closed = await submit(service, draft(text="Việc đã xong"))
    await service.accept(HOA, closed.id)
    await service.close(HOA, closed.id, Status.RESOLVED)
    erased = await service.privacy.erase_contacts(LAN)
    assert erased == 2
    still_open = await service.get(open_case.id)
    assert still_open.contact is None and still_open.reporter == LAN
    assert still_open.description == "Đèn đường hỏng ở ngõ 3"
    done = await service.get(closed.id)
    assert done.contact is None and done.reporter is None
    assert (await service.repo.events(done.id))[-1].action is Action.CONTACT_ERASED
    assert (await service.privacy.my_data(LAN)).contacts == []
