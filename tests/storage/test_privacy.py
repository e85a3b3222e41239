"""/mydata across features on a real SQLite file: each record seen, erased or detached, figures kept."""

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.cases.drafts import INTAKE, draft_to_data
from bot.cases.model import Contact, Draft, Kind, Status, Topic
from bot.core.config import ConfigError
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outcome
from bot.people.officers import Role
from bot.privacy.service import PrivacyOptions
from bot.privacy.views import holdings_text
from bot.services import Services

LAN = Recipient.telegram(1001)
MAI = Recipient.telegram(1002)
QUESTION = "Làm giấy khai sinh cho con cần những giấy tờ gì?"
CASE_UPDATE = "Hồ sơ PA-XXXXX: cán bộ trả lời về con đường trước nhà chị Lan"


@pytest.fixture
async def svc(settings, clock):
    services = await Services.open(settings, clock)
    yield services
    await services.close()


async def deliver(svc: Services, who: Recipient, text: str, state: str = "sent") -> None:
    await svc.outbox.enqueue(who, OutgoingMessage(text=text))
    rows = await svc.outbox.claim(10)
    await svc.outbox.record([Outcome(row, state, 1) for row in rows])


async def citizen_with_everything(svc: Services, who: Recipient = LAN) -> str:
    """Subscribe, ask the FAQ, file feedback with contact details, get a notification."""
    await svc.subscriptions.start(who, "Lan Nguyễn", "vi")
    await svc.subscriptions.choose_village(who, "tan-hung")
    reply = await svc.faq.ask(QUESTION, who)
    assert reply.query_id is not None
    form = Draft(
        step="review",
        kind=Kind.FEEDBACK,
        topic=Topic.ROADS,
        village_id="tan-hung",
        description="Đường trước nhà bị sụt lún",
        contact=Contact("Nguyễn Thị Lan", "0900001001"),
        consent=True,
    )
    await svc.conversations.put(who, INTAKE, draft_to_data(form))
    case = await svc.cases.submit(who, form, "vi")
    await deliver(svc, who, CASE_UPDATE)
    return case.code


async def test_the_summary_lists_every_kind_of_record(svc) -> None:
    code = await citizen_with_everything(svc)
    held = await svc.privacy.holdings(LAN)
    assert held.cases.citizen is not None and held.cases.citizen.display_name == "Lan Nguyễn"
    assert held.cases.citizen.village_id == "tan-hung"
    assert [event for _, event in held.subscription] == ["subscribed"]
    assert held.cases.contacts == [Contact("Nguyễn Thị Lan", "0900001001")]
    assert [c.code for c in held.cases.cases] == [code]
    assert held.questions.count == 1 and held.questions.latest == [QUESTION]
    assert held.messages.notifications == 1 and held.messages.with_text == 1


async def test_erasure_removes_identity_and_keeps_what_reports_count(svc, clock) -> None:
    code = await citizen_with_everything(svc)
    await citizen_with_everything(svc, MAI)  # another citizen's records stay whole
    period = svc.reports.parse("2026-03")
    before = await svc.reports.collect(period)

    erased = await svc.privacy.erase(LAN)
    assert (erased.contacts, erased.questions, erased.notifications) == (1, 1, 1)

    held = await svc.privacy.holdings(LAN)
    assert held.cases.citizen is not None and held.cases.citizen.display_name == ""
    assert held.cases.contacts == [] and held.questions.count == 0
    assert held.messages.notifications == 1 and held.messages.with_text == 0
    case = await svc.cases.repo.by_code(code)
    assert case.contact is None and case.description == "Đường trước nhà bị sụt lún"
    # The question is still there, for the counts, but names nobody.
    rows = await svc.db.fetchall("SELECT channel, external_id, text FROM faq_queries")
    assert sorted(tuple(r) for r in rows) == [("", "", QUESTION), ("telegram", "1002", QUESTION)]
    texts = await svc.db.fetchall("SELECT external_id, message FROM outbox ORDER BY id")
    assert [(r[0], r[1] is None) for r in texts] == [("1001", True), ("1002", False)]
    assert (await svc.privacy.holdings(MAI)).questions.count == 1

    assert await svc.reports.collect(period) == before
    assert before.faq is not None and before.faq.answered_at_once + before.faq.unanswered == 2
    assert before.cases is not None and sum(c.value for c in before.cases.by_kind) == 2


async def test_a_notification_not_yet_delivered_keeps_its_text(svc) -> None:
    await svc.subscriptions.start(LAN, "Lan", "vi")
    await svc.outbox.enqueue(LAN, OutgoingMessage(text=CASE_UPDATE))
    assert (await svc.privacy.erase(LAN)).notifications == 0
    assert await svc.db.scalar("SELECT message FROM outbox") is not None


async def test_expiry_blanks_old_delivered_texts_only(svc, clock) -> None:
    await svc.subscriptions.start(LAN, "Lan", "vi")
    await deliver(svc, LAN, "cũ, đã gửi")
    await deliver(svc, LAN, "cũ, bị chặn", state="blocked")
    clock.advance(timedelta(days=20))
    await deliver(svc, LAN, "mới hơn")
    await svc.outbox.enqueue(LAN, OutgoingMessage(text="đang chờ gửi"))
    clock.advance(timedelta(days=10, seconds=1))

    assert await svc.privacy.expire() == 2
    rows = await svc.db.fetchall("SELECT message IS NULL FROM outbox ORDER BY id")
    assert [bool(r[0]) for r in rows] == [True, True, False, False]
    on_disk = b"".join(p.read_bytes() for p in svc.db.path.parent.glob(svc.db.path.name + "*"))
    assert "cũ, đã gửi".encode() not in on_disk and "mới hơn".encode() in on_disk
    clock.advance(timedelta(days=20))
    assert await svc.privacy.expire() == 1  # the pending one is not delivered yet
    assert await svc.privacy.expire() == 0


async def test_broadcast_rows_are_not_touched(svc, clock) -> None:
    await svc.subscriptions.start(LAN, "Lan", "vi")
    await svc.db.execute(
        "INSERT INTO broadcasts (author_channel, author_id, message, created_at, state)"
        " VALUES ('telegram', '2001', '{}', '2026-01-01T00:00:00+00:00', 'done')"
    )
    await svc.db.execute(
        "INSERT INTO outbox (broadcast_id, channel, external_id, state, created_at, done_at)"
        " VALUES (1, 'telegram', '1001', 'sent', '2026-01-01T00:00:00+00:00',"
        " '2026-01-01T00:00:00+00:00')"
    )
    assert (await svc.privacy.holdings(LAN)).messages.announcements == 1
    await svc.privacy.erase(LAN)
    clock.advance(timedelta(days=400))
    assert await svc.privacy.expire() == 0
    assert (await svc.privacy.holdings(LAN)).messages.announcements == 1


async def test_erasure_forgets_when_a_zalo_citizen_last_wrote_and_their_held_answer(
    svc, clock
) -> None:
    oa = Recipient("zalo_oa", "5001")  # a channel with a window: what they wrote is noted
    held_text = "Hồ sơ PA-HELD1: trả lời riêng cho bà Tư về thửa đất số 48"
    await svc.subscriptions.start(oa, "Tư", "vi")
    await svc.outbox.heard(oa)
    clock.advance(timedelta(hours=49))  # outside the 48 hours: the answer is held
    await deliver(svc, oa, held_text, state="outside")
    assert await svc.outbox.held(oa) == 1
    held = await svc.privacy.holdings(oa)
    assert held.last_heard is not None  # /mydata shows it, with why it is kept
    assert "Lần cuối bạn nhắn cho bot" in holdings_text(held, svc.settings, "vi", 30)
    await svc.db.purge_wal()  # the text is in the database file, not just the WAL
    assert held_text.encode() in svc.db.path.read_bytes()

    assert (await svc.privacy.erase(oa)).notifications == 1

    assert await svc.outbox.held(oa) == 0  # nothing waits for them any more
    assert (await svc.privacy.holdings(oa)).last_heard is None
    assert await svc.db.scalar("SELECT COUNT(*) FROM last_heard") == 0
    on_disk = b"".join(p.read_bytes() for p in svc.db.path.parent.glob(svc.db.path.name + "*"))
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        assert held_text.encode(encoding) not in on_disk
    await svc.outbox.heard(oa)  # their next message is noted afresh, at once
    assert await svc.db.scalar("SELECT COUNT(*) FROM last_heard") == 1


@pytest.mark.parametrize(
    ("section", "wrong"),
    [
        ({"notification_days": 0}, "notification_days"),
        ({"notification_days": "30"}, "notification_days"),
        ({"cleanup_time": "25:00"}, "cleanup_time"),
        ({"keep": 1}, "keep"),
    ],
)
def test_bad_privacy_settings_are_refused(section, wrong) -> None:
    with pytest.raises(ConfigError, match=wrong):
        PrivacyOptions.from_section(section)


async def test_the_days_setting_is_read(settings, clock) -> None:
    tuned = replace(settings, sections={**settings.sections, "privacy": {"notification_days": 7}})
    services = await Services.open(tuned, clock)
    try:
        assert services.privacy.options.notification_days == 7
    finally:
        await services.close()


async def test_officers_cards_with_the_phone_lose_their_text(svc) -> None:
    await citizen_with_everything(svc)
    hoa = Recipient.telegram(2001)
    await deliver(svc, hoa, "Phản ánh mới: Nguyễn Thị Lan, 0900001001")
    await deliver(svc, hoa, "Phản ánh mới: Lê Mai, 0900001002")
    assert (await svc.privacy.erase(LAN)).notifications == 2
    rows = await svc.db.fetchall("SELECT message FROM outbox WHERE external_id = '2001'")
    assert [r[0] is None for r in rows] == [True, False]


async def test_a_public_answer_is_listed_until_the_closed_case_loses_its_link(svc) -> None:
    code = await citizen_with_everything(svc)
    hoa = Recipient.telegram(2001)
    await svc.officers.add(hoa, "Chị Hoa", {Role.OFFICE})
    case = await svc.cases.repo.by_code(code)
    await svc.cases.accept(hoa, case.id)
    await svc.cases.close(hoa, case.id, Status.RESOLVED)
    event = await svc.db.scalar("SELECT max(id) FROM case_events WHERE case_id = ?", (case.id,))
    await svc.db.execute(
        "INSERT INTO public_answers (case_id, answer_event_id, kind, topic, month, summary,"
        " answer, status, prepared_by, prepared_at) VALUES (?, ?, 'feedback', 'roads',"
        " '2026-03', 'Đường sụt lún', 'Đã sửa', 'published', 1, '2026-03-02T02:00:00+00:00')",
        (case.id, event),
    )
    assert (await svc.privacy.holdings(LAN)).public_answers == [code]
    await svc.privacy.erase(LAN)
    assert (await svc.privacy.holdings(LAN)).public_answers == []
    assert await svc.db.scalar("SELECT status FROM public_answers") == "published"
