"""Public answers on a real SQLite file: preview, publish once, withdraw, browse, refuse."""

import sqlite3
import tomllib
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.cases.core import CaseError
from bot.cases.model import Kind, Topic
from bot.cases.service import CaseService
from bot.core.config import ConfigError
from bot.core.i18n import use_language
from bot.core.paths import ROOT
from bot.messaging.markup import to_plain
from bot.people.access import AccessControl, PermissionDenied
from bot.people.audit import AuditLog
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role
from bot.public_answers.masking import MASK
from bot.public_answers.repository import PublicAnswerRepository, State
from bot.public_answers.service import AlreadyPublic, PublicAnswers, PublicOptions
from bot.public_answers.views import PAGE_LIMIT, entry_text, page_message, preview
from tests.storage.test_cases import HOA, LAN, TU, Recorder, draft, submit

TEXT = "Tôi là Nguyễn Thị Lan, số 12 ngõ 3, SĐT 0912 345 678: đèn đường hỏng cả tháng."
ANSWER = "Xã đã thay bóng đèn ngày 5/3. Cảm ơn bà Nguyễn Thị Lan đã phản ánh."


@pytest.fixture
async def world(db, settings, clock):
    officers = OfficerRepository(db, clock)
    await officers.add(HOA, "Chị Hoa", {Role.OFFICE})
    await officers.add(TU, "Anh Tư", {Role.JUSTICE})
    access = AccessControl(officers, AuditLog(db, clock))
    citizens = CitizenRepository(db, clock)
    cases = CaseService.create(db, settings, clock, officers, citizens, access, Recorder())
    await cases.start()
    return PublicAnswers(PublicAnswerRepository(db), cases, PublicOptions())


async def answered(svc: PublicAnswers, kind=Kind.FEEDBACK, text=TEXT, topic=Topic.ROADS):
    """A case of LAN answered by the officer; returns the case and its answer event."""
    case = await submit(svc.cases, replace(draft(kind, text), topic=topic))
    officer = TU if kind.formal else HOA
    await svc.cases.answer(officer, case.id, ANSWER)
    answer = await svc.offerable(case)
    events = await svc.cases.repo.events(case.id)
    return case, answer or events[-1]


async def test_the_preview_holds_no_name_phone_or_house_number(world) -> None:
    case, answer = await answered(world)
    entry = await world.prepare(HOA, case.id, answer.id)
    assert entry.state is State.PREVIEW and entry.month == "2026-03"
    assert (entry.kind, entry.topic, entry.village_id) == (Kind.FEEDBACK, Topic.ROADS, "tan-hung")
    assert entry.summary == f"Tôi là {MASK}, {MASK}, SĐT {MASK}: đèn đường hỏng cả tháng."
    assert entry.answer == f"Xã đã thay bóng đèn ngày 5/3. Cảm ơn bà {MASK} đã phản ánh."
    shown = preview(entry, world.cases.settings)
    for secret in ("Lan", "0912", "345 678", "số 12", "ngõ 3", case.code):
        assert secret not in shown.text
    assert "Thôn Tân Hưng" in shown.text and "tháng 3 năm 2026" in shown.text
    # Not public until confirmed.
    assert await world.topics() == {} and await world.public_entry(entry.id) is None


async def test_publish_once_then_withdraw_hides_it(world, db) -> None:
    case, answer = await answered(world)
    entry = await world.prepare(HOA, case.id, answer.id)
    done = await world.publish(HOA, entry.id, entry.revision)
    assert done.state is State.PUBLISHED and await world.topics() == {Topic.ROADS: 1}
    with pytest.raises(AlreadyPublic):
        await world.publish(HOA, entry.id, entry.revision)
    with pytest.raises(AlreadyPublic):
        await world.prepare(HOA, case.id, answer.id)
    log = await world.cases.access._audit.recent()
    published = [(e.action, e.target, e.outcome) for e in log if e.action.startswith("public:")]
    assert published == [("public:publish", case.code, "ok")]
    assert (await world.page(Topic.ROADS, 0)).entries[0].id == entry.id

    await world.withdraw(HOA, entry.id)
    assert await world.topics() == {} and await world.public_entry(entry.id) is None
    with pytest.raises(CaseError):
        await world.withdraw(HOA, entry.id)
    again = await world.prepare(HOA, case.id, answer.id)  # a new preview may publish it again
    assert again.id == entry.id and again.state is State.PREVIEW
    assert await db.scalar("SELECT COUNT(*) FROM public_answers") == 1


async def test_an_older_preview_publishes_nothing_and_own_words_are_masked_too(world) -> None:
    case, answer = await answered(world)
    first = await world.prepare(HOA, case.id, answer.id)
    mine = await world.rewrite(HOA, first.id, "Đèn đường ở thôn hỏng, gọi 0987654321.")
    assert mine.summary == f"Đèn đường ở thôn hỏng, gọi {MASK}." and mine.revision > first.revision
    with pytest.raises(CaseError, match="out of date"):
        await world.publish(HOA, first.id, first.revision)
    assert (await world.publish(HOA, mine.id, mine.revision)).summary == mine.summary
    with pytest.raises(CaseError):  # no rewriting what is public
        await world.rewrite(HOA, mine.id, "Khác")


async def test_cancel_drops_the_preview(world) -> None:
    case, answer = await answered(world)
    entry = await world.prepare(HOA, case.id, answer.id)
    await world.cancel(HOA, entry.id)
    assert await world.repo.get(entry.id) is None
    with pytest.raises(CaseError):
        await world.publish(HOA, entry.id, entry.revision)


@pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.DENUNCIATION, Kind.QUESTION])
async def test_only_feedback_and_petitions_can_be_made_public(world, db, kind) -> None:
    case, answer = await answered(world, kind)
    assert await world.offerable(case) is None
    with pytest.raises(CaseError):  # even for the justice officer who handles it
        await world.prepare(TU, case.id, answer.id)
    if kind.formal:
        with pytest.raises(PermissionDenied):
            await world.prepare(HOA, case.id, answer.id)
    assert await db.scalar("SELECT COUNT(*) FROM public_answers") == 0
    with pytest.raises(sqlite3.IntegrityError):  # the schema refuses it too
        await db.execute(
            "INSERT INTO public_answers (case_id, answer_event_id, kind, topic, month, summary,"
            " answer, status, prepared_by, prepared_at) VALUES (?, ?, ?, 'roads', '2026-03',"
            " 's', 'a', 'published', 1, 'x')",
            (case.id, answer.id, kind.value),
        )


async def test_citizens_and_forged_ids_are_refused_and_audited(world) -> None:
    case, answer = await answered(world)
    other, _ = await answered(world, Kind.PETITION, "Xin làm thêm đèn đường ở thôn.")
    submitted = (await world.cases.repo.events(case.id))[0]
    with pytest.raises(PermissionDenied):
        await world.prepare(LAN, case.id, answer.id)
    for case_id, event_id in ((other.id, answer.id), (case.id, submitted.id), (case.id, 999)):
        with pytest.raises(CaseError):
            await world.prepare(HOA, case_id, event_id)
    entry = await world.prepare(HOA, case.id, answer.id)
    for act in (world.publish(LAN, entry.id, entry.revision), world.withdraw(LAN, entry.id)):
        with pytest.raises(PermissionDenied):
            await act
    with pytest.raises(CaseError):
        await world.publish(HOA, entry.id + 100, 1)
    denied = [e for e in await world.cases.access._audit.recent(50) if e.outcome == "denied"]
    assert {e.action for e in denied} == {"public:publish", "public:withdraw"}
    assert all(e.actor == LAN for e in denied)


async def test_pages_are_newest_first_and_read_at_a_glance(world, clock) -> None:
    long = "Đường lún. " * 200
    ids = []
    for n in range(7):
        clock.advance(timedelta(days=1))  # within the daily limit of cases
        case, answer = await answered(world, text=f"{long} ({n})")
        await world.cases.answer(HOA, case.id, "Trả lời rất dài. " * 300)
        answer = await world.offerable(case)
        entry = await world.prepare(HOA, case.id, answer.id)
        ids.append((await world.publish(HOA, entry.id, entry.revision)).id)
    pages = [await world.page(Topic.ROADS, n) for n in range(3)]
    assert [e.id for p in pages for e in p.entries] == ids[::-1]
    assert (pages[0].pages, pages[2].first, pages[2].total) == (3, 7, 7)
    assert (await world.page(Topic.ROADS, 9)).number == 2  # a stale button: the last page
    with use_language("vi"):
        shown = page_message(Topic.ROADS, pages[0], world.cases.settings)
        assert len(to_plain(shown.text)) <= PAGE_LIMIT and "1. 📌 Phản ánh" in shown.text
        labels = [b.label for row in shown.buttons for b in row]
        full = [f"📄 Xem đầy đủ mục {n}" for n in (1, 2, 3)]
        assert labels == [*full, "Cũ hơn ▶️", "↩️ Các lĩnh vực"]
        whole = pages[0].entries[0]  # in full: the channel splits what its messages cannot hold
        assert whole.answer in to_plain(entry_text(whole, world.cases.settings))


def test_the_settings_are_checked() -> None:
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    table = example[example.index("[public_answers]") :].replace("# page_size", "page_size")
    assert PublicOptions.from_section(tomllib.loads(table)["public_answers"]) == PublicOptions()
    assert PublicOptions.from_section({}).page_size == 3
    assert PublicOptions.from_section({"page_size": 5}).page_size == 5
    for bad in ({"page_size": 0}, {"page_size": "3"}, {"page_size": True}, {"size": 3}):
        with pytest.raises(ConfigError):
            PublicOptions.from_section(bad)
