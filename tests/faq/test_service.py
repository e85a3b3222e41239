"""The FAQ service on a real database: sync, import, ask, feedback, hand-over, publish."""

from datetime import date

import pytest

from bot.channels import Recipient
from bot.clock import ManualClock
from bot.config import ConfigError, Settings
from bot.db import Database
from bot.faq.content import ShippedEntry, load_content
from bot.faq.matcher import Verdict
from bot.faq.repository import EntryDraft, FaqRepository
from bot.faq.service import FaqService, FaqSettings
from bot.officers import OfficerRepository, Role
from tests.faq.conftest import RecordingNotifier

LAN = Recipient.telegram(1001)
HUNG = Recipient.telegram(1002)


def test_shipped_faq_has_forty_entries_marked_for_review() -> None:
    shipped = load_content()
    assert len(shipped) >= 40
    assert all(s.draft.source and not s.draft.reviewed for s in shipped)


async def test_a_confident_answer_is_logged_and_judged_by_its_asker(faq: FaqService) -> None:
    reply = await faq.ask("lam giay khai sinh cho con can giay to gi", LAN)
    assert reply.verdict is Verdict.CONFIDENT and reply.best is not None
    assert reply.best.entry.slug == "khai-sinh" and reply.query_id is not None
    assert not await faq.feedback(reply.query_id, HUNG, helpful=False)
    assert await faq.feedback(reply.query_id, LAN, helpful=False)
    stats = await faq.stats()
    assert (stats.asked, stats.confident, stats.not_helpful) == (1, 1, 1)
    assert [t.text for t in stats.badly_answered] == [reply.best.entry.question]


async def test_unknown_question_goes_to_officers_once_with_a_due_date(
    db: Database, clock: ManualClock, faq: FaqService, notifier: RecordingNotifier
) -> None:
    officers = OfficerRepository(db, clock)
    await officers.add(Recipient.telegram(7), "Chị Hà", {Role.JUSTICE})
    await officers.add(Recipient.telegram(8), "Anh Tư", {Role.OFFICE, Role.JUSTICE})
    await officers.add(Recipient.telegram(9), "Chị Mai", {Role.CULTURE})
    reply = await faq.ask("Khi nào đường liên thôn được đổ bê tông?", LAN)
    assert reply.verdict is Verdict.NONE and reply.query_id is not None
    receipt = await faq.send_to_officers(reply.query_id, LAN)
    assert receipt is not None and receipt.code == "CH-0001"
    # Monday 2 March 2026, five working days on.
    assert receipt.due == date(2026, 3, 9)
    assert sorted(r.external_id for r, _ in notifier.sent) == ["7", "8"]
    assert "CH-0001" in notifier.sent[0][1].text
    assert await faq.send_to_officers(reply.query_id, LAN) is None
    stats = await faq.stats()
    assert stats.sent_to_officers == 1 and stats.top_unanswered[0].text.startswith("Khi nào")


async def test_a_published_answer_answers_the_same_question_at_once(
    db: Database, clock: ManualClock, faq: FaqService, notifier: RecordingNotifier
) -> None:
    officer = await OfficerRepository(db, clock).add(Recipient.telegram(7), "Hà", {Role.JUSTICE})
    question = "Khi nào đường liên thôn được đổ bê tông?"
    reply = await faq.ask(question, LAN)
    assert reply.query_id is not None
    receipt = await faq.send_to_officers(reply.query_id, LAN)
    assert receipt is not None
    assert await faq.publish_question(receipt.code) is None  # not answered yet
    await faq.questions.answer(receipt.code, officer_id=officer.id, text="Tháng 6 năm nay.")
    assert notifier.sent[-1][0] == LAN and "Tháng 6" in notifier.sent[-1][1].text
    entry = await faq.publish_question(receipt.code)
    assert entry is not None and entry.origin == "published"
    again = await faq.ask("khi nao duong lien thon duoc do be tong")
    assert again.verdict is Verdict.CONFIDENT and again.best is not None
    assert again.best.entry.id == entry.id


async def test_import_updates_same_question_and_survives_a_restart(
    db: Database, clock: ManualClock, settings: Settings, faq: FaqService
) -> None:
    report = await faq.import_drafts(
        [
            EntryDraft("Đăng ký kết hôn cần những giấy tờ gì?", "Câu trả lời của xã."),
            EntryDraft("Chợ phiên họp ngày nào?", "Ngày 5 và 20 âm lịch."),
        ]
    )
    assert (report.added, report.updated) == (1, 1)
    reopened = await FaqService.open(
        db, clock, settings, OfficerRepository(db, clock), RecordingNotifier()
    )
    reply = await reopened.ask("dang ky ket hon")
    assert reply.best is not None and reply.best.entry.answer == "Câu trả lời của xã."
    assert (await reopened.ask("cho phien hop ngay nao")).verdict is Verdict.CONFIDENT


async def test_a_changed_content_file_wins_and_a_removed_entry_retires(
    db: Database, clock: ManualClock, settings: Settings, faq: FaqService
) -> None:
    shipped = load_content()
    first = shipped[0]
    changed = ShippedEntry(
        EntryDraft(first.draft.question, "Nội dung mới.", slug=first.draft.slug), "new-hash"
    )
    officers = OfficerRepository(db, clock)
    await FaqService.open(db, clock, settings, officers, RecordingNotifier(), [changed])
    repository = FaqRepository(db, clock)
    entries = await repository.all()
    assert [(e.slug, e.answer) for e in entries] == [(first.draft.slug, "Nội dung mới.")]


async def test_an_import_that_fails_midway_leaves_nothing(
    faq: FaqService, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = await faq.entries.count()
    original = faq.entries.save
    calls = 0

    async def failing_save(*args: object, **kwargs: object) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return await original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(faq.entries, "save", failing_save)
    with pytest.raises(OSError):
        await faq.import_drafts([EntryDraft("Câu một?", "Một."), EntryDraft("Câu hai?", "Hai.")])
    assert await faq.entries.count() == before


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ({"confident": 1.5}, "[faq] confident"),
        ({"middling": 0.9, "confident": 0.5}, "[faq] middling"),
        ({"answer_within_days": 0}, "[faq] answer_within_days"),
        ({"colour": 1}, "[faq] colour"),
    ],
)
def test_wrong_settings_are_named(
    settings: Settings, section: dict[str, object], setting: str
) -> None:
    from dataclasses import replace

    with pytest.raises(ConfigError) as caught:
        FaqSettings.from_settings(replace(settings, sections={"faq": section}))
    assert caught.value.setting == setting
