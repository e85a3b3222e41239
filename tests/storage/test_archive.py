"""The archive query: items and sent announcements, newest first, each only for its audience."""

from datetime import timedelta
from pathlib import Path

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment, OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.archive import Archive, Reader
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.outreach.library.store import Library
from bot.people.citizens import CitizenRepository
from tests.unit.test_library_files import GOOD

AUTHOR = Recipient.telegram(2001)
DONG_TAM = Reader("dong-tam", frozenset({"model_story"}))
VIET_TIEN = Reader("viet-tien", frozenset({"reform"}))
EVERYONE = Audience()


def item(item_id: str, day: str, villages: str = "") -> str:
    """A library file dated `day`, for `villages` (every village when empty)."""
    text = GOOD.replace("mot-bai", item_id).replace("2024-05-01", day)
    return (
        text.replace("[dong-tam]", f"[{villages}]")
        if villages
        else text.replace("villages: [dong-tam]\n", "")
    )


async def fixture(
    db: Database, clock: ManualClock, settings: Settings, folder: Path
) -> tuple[Archive, Broadcasts]:
    (folder / "a.md").write_text(item("cu", "2026-02-20"), encoding="utf-8")
    (folder / "b.md").write_text(item("hom-nay", "2026-03-02", "viet-tien"), encoding="utf-8")
    (folder / "c.md").write_text(item("sau-nay", "2026-04-01"), encoding="utf-8")
    library = Library(db, clock, folder)
    await library.sync(settings)
    return Archive(db, library, settings.timezone), Broadcasts(db, clock, Outbox(db, clock))


async def send(
    broadcasts: Broadcasts, text: str, audience: Audience = EVERYONE, **fields: object
) -> int:
    """Compose and confirm a post; with `send_at` in the future it stays scheduled."""
    draft = await broadcasts.start_draft(AUTHOR, None)
    fields.setdefault("message", OutgoingMessage(text))
    await broadcasts.update_draft(AUTHOR, draft.id, audience=audience, **fields)
    return (await broadcasts.confirm(AUTHOR, draft.id)).id


def names(entries: list) -> list[str]:
    return [
        e.item.id if e.item else e.announcement.message.text  # type: ignore[union-attr]
        for e in entries
    ]


async def test_items_and_announcements_are_mixed_newest_first_and_paged(
    db: Database, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    archive, broadcasts = await fixture(db, clock, settings, tmp_path)
    clock.advance(timedelta(days=-5))  # 25/02, between the two items' dates
    await send(broadcasts, "tin 25/02")
    clock.advance(timedelta(days=5))  # 02/03 09:00 in the commune
    await send(broadcasts, "tin sáng nay")
    clock.advance(timedelta(minutes=1))
    await send(broadcasts, "tin sau một phút")

    entries, total = await archive.page(VIET_TIEN, clock.now(), limit=10)
    # An item counts from the start of its date, so this morning's posts come first;
    # the item dated next month is not out yet.
    assert names(entries) == ["tin sau một phút", "tin sáng nay", "hom-nay", "tin 25/02", "cu"]
    assert total == 5
    page, total = await archive.page(VIET_TIEN, clock.now(), offset=2, limit=2)
    assert names(page) == ["hom-nay", "tin 25/02"] and total == 5
    assert entries[0].announcement is not None
    assert entries[0].announcement.sent_at == clock.now()


async def test_an_announcement_is_listed_only_for_the_citizens_it_was_meant_for(
    db: Database, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    archive, broadcasts = await fixture(db, clock, settings, tmp_path)
    to_village = await send(broadcasts, "cho Đồng Tâm", Audience("village", ("dong-tam",)))
    to_topic = await send(broadcasts, "cho cải cách", Audience("topic", ("reform",)))
    everyone = await send(broadcasts, "cho mọi người")

    def announced(entries: list) -> set[int]:
        return {e.announcement.id for e in entries if e.announcement}

    dong_tam, _total = await archive.page(DONG_TAM, clock.now(), limit=20)
    viet_tien, _total = await archive.page(VIET_TIEN, clock.now(), limit=20)
    stranger, total = await archive.page(Reader(), clock.now(), limit=20)
    assert announced(dong_tam) == {to_village, everyone}
    assert announced(viet_tien) == {to_topic, everyone}
    assert announced(stranger) == {everyone} and total == 2  # and the item "cu"

    assert await archive.announcement(to_village, VIET_TIEN) is None
    assert await archive.announcement(to_village, DONG_TAM) is not None
    assert await archive.announcement(to_village) is not None  # an officer rereading

    # The rule is the citizen's, from their stored village and topics.
    citizens = CitizenRepository(db, clock)
    lan = await citizens.create(Recipient.telegram(1), "Lan", "vi", "viet-tien")
    await citizens.set_topics(lan.id, ["model_story"])
    reader = Reader.of(await citizens.get(Recipient.telegram(1)))
    assert await archive.announcement(to_topic, reader) is None
    assert await archive.announcement(to_village, reader) is None
    assert await archive.announcement(everyone, reader) is not None


async def test_only_sent_posts_are_archived_and_a_library_post_is_listed_once(
    db: Database, clock: ManualClock, settings: Settings, tmp_path: Path
) -> None:
    archive, broadcasts = await fixture(db, clock, settings, tmp_path)
    await CitizenRepository(db, clock).create(Recipient.telegram(1), "Lan", "vi", "dong-tam")
    sending = await send(broadcasts, "đang gửi")
    later = clock.now() + timedelta(hours=2)
    scheduled = await send(broadcasts, "hẹn giờ", send_at=later)
    cancelled = await send(broadcasts, "đã huỷ", send_at=later)
    assert await broadcasts.cancel(cancelled)
    draft = await broadcasts.start_draft(AUTHOR, None)
    await broadcasts.update_draft(AUTHOR, draft.id, message=OutgoingMessage("nháp"))
    teaser = OutgoingMessage("<b>cu</b>", html=True, attachment=Attachment("photo", "file-1"))
    await send(broadcasts, "bài thư viện", item_id="cu", message=teaser)

    entries, total = await archive.page(DONG_TAM, clock.now(), limit=10)
    assert names(entries) == ["đang gửi", "cu"] and total == 2
    assert (await broadcasts.get(sending)).state == "sending"  # type: ignore[union-attr]
    for hidden in (scheduled, cancelled, draft.id):
        assert await archive.announcement(hidden) is None

    clock.advance(timedelta(hours=2))  # the scheduled post goes out
    assert await broadcasts.release_due() == [scheduled]
    entries, total = await archive.page(DONG_TAM, clock.now(), limit=10)
    assert names(entries) == ["hẹn giờ", "đang gửi", "cu"] and total == 3
