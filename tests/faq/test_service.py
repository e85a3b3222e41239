"""The FAQ service on a real database: sync, import, ask, feedback, hand-over, publish."""

from datetime import date

import pytest

from bot.core.clock import ManualClock
from bot.core.config import ConfigError, Settings
from bot.core.db import Database
from bot.faq.content import ShippedEntry, load_content
from bot.faq.desk import DeskRefused, Receipt
from bot.faq.matcher import Verdict
from bot.faq.repository import EntryDraft, FaqRepository
from bot.faq.service import FaqService, FaqSettings
from bot.messaging.channels import Recipient
from tests.faq.conftest import RecordingDesk

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


async def test_unknown_question_goes_to_the_desk_once(faq: FaqService, desk: RecordingDesk) -> None:
    reply = await faq.ask("Khi nào đường liên thôn được đổ bê tông?", LAN)
    assert reply.verdict is Verdict.NONE and reply.query_id is not None
    assert faq.answer_within_days == 10  # the desk's promise, not the FAQ's
    assert await faq.send_to_officers(reply.query_id, HUNG, "vi") is None  # not Hùng's
    receipt = await faq.send_to_officers(reply.query_id, LAN, "en")
    assert receipt == Receipt("Q-1", date(2026, 3, 16))
    assert desk.submitted == [(LAN, "Khi nào đường liên thôn được đổ bê tông?", "en")]
    assert await faq.send_to_officers(reply.query_id, LAN, "vi") is None
    assert len(desk.submitted) == 1
    stats = await faq.stats()
    assert stats.sent_to_officers == 1 and stats.top_unanswered[0].text.startswith("Khi nào")


async def test_a_refused_question_stays_unsent_and_can_be_sent_later(
    faq: FaqService, desk: RecordingDesk
) -> None:
    reply = await faq.ask("Khi nào có điện ở xóm Bãi?", LAN)
    assert reply.query_id is not None
    desk.refusal = "Come back tomorrow."
    with pytest.raises(DeskRefused) as refused:
        await faq.send_to_officers(reply.query_id, LAN, "vi")
    assert refused.value.reason == "Come back tomorrow."
    assert (await faq.stats()).sent_to_officers == 0
    desk.refusal = None
    assert await faq.send_to_officers(reply.query_id, LAN, "vi") is not None


async def test_a_published_answer_answers_the_same_question_at_once(faq: FaqService) -> None:
    question = "Khi nào đường liên thôn được đổ bê tông?"
    assert (await faq.ask(question)).verdict is Verdict.NONE
    first = await faq.publish(question, "Tháng 6 năm nay.", ref="case:PA-7KX45:answer:3")
    assert first.first and first.entry.origin == "published" and first.entry.reviewed
    again = await faq.ask("khi nao duong lien thon duoc do be tong")
    assert again.verdict is Verdict.CONFIDENT and again.best is not None
    assert again.best.entry.id == first.entry.id


async def test_the_same_answer_is_published_once(faq: FaqService) -> None:
    before = await faq.entries.count()
    ref = "case:PA-7KX45:answer:3"
    first = await faq.publish("Chợ phiên họp ngày nào?", "Ngày 5 và 20 âm lịch.", ref=ref)
    second = await faq.publish("Chợ phiên họp ngày nào?", "Một câu khác.", ref=ref)
    assert not second.first and second.entry == first.entry
    assert await faq.entries.count() == before + 1
    # Another answer to the same question updates the entry, it adds none.
    third = await faq.publish("Cho phien hop ngay nao?", "Ngày 5, 20.", ref="other")
    assert third.first and third.entry.id == first.entry.id and third.entry.answer == "Ngày 5, 20."
    assert await faq.entries.count() == before + 1


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
    reopened = await FaqService.open(db, clock, settings)
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
    await FaqService.open(db, clock, settings, content=[changed])
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
        ({"answer_within_days": 5}, "[faq] answer_within_days"),  # the desk's to say
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
