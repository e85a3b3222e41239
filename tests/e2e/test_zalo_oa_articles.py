"""ZALO_OA_PUBLISH_ARTICLES: each broadcast also an OA article for all followers, within the quota."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.clock import ManualClock, to_db
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.outreach.audience import VILLAGES, Audience
from bot.outreach.publications import PUBLISHED, PUBLISHING, SKIPPED, Publication
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.conftest import add_officer, drained
from tests.e2e.outreach import copies, seed_citizens
from tests.e2e.test_broadcasts import compose_text
from tests.e2e.test_zalo_oa import LAN, OA, fake_oa, oa, oa_settings  # noqa: F401 (fixtures)
from tests.fakes.zalo_oa import FakeZaloOA

OFFICER = 2001
COVER = "https://tanviet.example.gov.vn/logo.jpg"


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer, fake_oa: FakeZaloOA) -> Settings:  # noqa: F811
    return oa_settings(
        settings, sandbox, fake_oa, publish_articles=True, article_quota=1, article_cover_url=COVER
    )


async def follower(running: OA, clock: ManualClock, user_id: str) -> None:
    """A Zalo citizen who wrote to the OA lately (within its 48 hours)."""
    now = to_db(clock.now())
    await running.bot.services.db.execute(
        "INSERT INTO citizens (channel, external_id, display_name, village_id, onboarded,"
        " created_at, updated_at) VALUES ('zalo_oa', ?, 'Lan', 'dong-tam', 1, ?, ?)",
        (user_id, now, now),
    )
    await running.bot.services.outbox.heard(Recipient("zalo_oa", user_id))


async def test_a_post_becomes_an_article_for_all_followers_until_the_months_quota(
    oa: OA,  # noqa: F811 (the fixture imported above)
    sandbox: SandboxServer,
    settings: Settings,
    clock: ManualClock,
) -> None:
    await seed_citizens(oa.bot.settings, clock, sandbox, [1001])
    await follower(oa, clock, LAN)
    await add_officer(oa.bot.settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    hoa = sandbox.user(OFFICER, first_name="Hoa")

    first = "Lịch tiêm chủng tháng 4\n\nTại trạm y tế xã, từ 7 giờ sáng thứ Bảy."
    await hoa.press("✅ Gửi", await compose_text(hoa, first, ["Tất cả"]))
    notice = await hoa.wait_for(contains="Bài viết Zalo OA: đã đăng")
    assert "(1/1 trong tháng này" in notice.text
    (sent,) = oa.fake.state.broadcasts
    article = oa.fake.state.articles[sent["message"]["attachment"]["payload"]["elements"][0]["attachment_id"]]  # fmt: skip
    assert article["title"] == "Lịch tiêm chủng tháng 4"
    assert article["author"] == "Tân Việt" and article["cover"]["photo_url"] == COVER
    assert [b["content"] for b in article["body"]] == first.split("\n\n")
    assert sent["recipient"] == {"target": {}}  # every follower

    second = "Họp dân thôn Đông Tâm tối thứ Sáu lúc 19 giờ."
    await hoa.press("✅ Gửi", await compose_text(hoa, second, ["Tất cả"]))
    refused = await hoa.wait_for(contains="Bài viết Zalo OA: không đăng")
    assert "đã dùng hết 1 bài của tháng này" in refused.text
    assert len(oa.fake.state.broadcasts) == 1  # nothing asked of Zalo past the quota
    await drained(oa.bot)
    # The citizens get both posts on each channel, whatever the articles' fate.
    assert oa.fake.texts_to(LAN) == [first, second]
    assert copies(sandbox, 1001, "Lịch tiêm chủng") == 1 and copies(sandbox, 1001, "Họp dân") == 1

    await hoa.send("/broadcasts")
    listing = await hoa.wait_for(contains="Các tin đã gửi")
    assert "Bài viết Zalo OA: đã đăng" in listing.text
    assert "Bài viết Zalo OA: không đăng" in listing.text


async def test_zalos_refusal_is_told_to_the_officer_and_the_citizens_still_get_the_post(
    oa: OA,  # noqa: F811 (the fixture imported above)
    sandbox: SandboxServer,
    clock: ManualClock,
) -> None:
    await follower(oa, clock, LAN)
    await add_officer(oa.bot.settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    oa.fake.state.refuse["/v2.0/oa/message"] = (-224, "The OA has no broadcast quota left")
    svc, author = oa.bot.services, Recipient.telegram(OFFICER)
    draft = await svc.broadcasts.start_draft(author, None)
    text = "Thông báo lịch cắt điện ngày 12."
    await svc.broadcasts.update_draft(
        author, draft.id, message=OutgoingMessage(text), audience=Audience()
    )
    await svc.broadcasts.set_progress_message(draft.id, str(OFFICER), "1")  # as /post does
    await svc.broadcasts.confirm(author, draft.id)
    notice = await hoa.wait_for(contains="Bài viết Zalo OA: không đăng được")
    assert "-224" in notice.text and "không bị ảnh hưởng" in notice.text
    await drained(oa.bot)
    assert oa.fake.texts_to(LAN) == [text]
    counts = await svc.outbox.counts(draft.id)
    assert (counts.sent, counts.failed, counts.remaining) == (1, 0, 0)
    assert oa.fake.state.broadcasts == []


async def test_a_post_for_some_villages_only_is_no_article_for_every_follower(
    oa: OA,  # noqa: F811 (the fixture imported above)
    clock: ManualClock,
) -> None:
    await follower(oa, clock, LAN)  # in Đồng Tâm
    svc, author = oa.bot.services, Recipient.telegram(OFFICER)
    draft = await svc.broadcasts.start_draft(author, None)
    text = "Thôn Đồng Tâm: họp dân tối nay."
    await svc.broadcasts.update_draft(
        author, draft.id, message=OutgoingMessage(text), audience=Audience(VILLAGES, ("dong-tam",))
    )
    await svc.broadcasts.confirm(author, draft.id)
    await drained(oa.bot)
    assert oa.fake.texts_to(LAN) == [text]
    found = await until_published(oa, draft.id)
    assert found.state == SKIPPED and oa.fake.state.articles == {}


async def until_published(running: OA, broadcast_id: int) -> Publication:
    """The broadcast's publication once the OA channel has decided its fate."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while True:
        found = await running.bot.services.publications.of(broadcast_id)
        if found and found[0].state != PUBLISHING:
            return found[0]
        assert loop.time() < deadline, f"broadcast {broadcast_id} was never published: {found}"
        await asyncio.sleep(0.05)


async def test_an_article_zalo_is_still_making_is_verified_again(
    oa: OA,  # noqa: F811 (the fixture imported above)
    clock: ManualClock,
) -> None:
    await follower(oa, clock, LAN)
    # One public client retries -214 ("media is being processed") on verify.
    oa.fake.state.refuse["/v2.0/article/verify"] = (-214, "Media is being processed")
    svc, author = oa.bot.services, Recipient.telegram(OFFICER)
    draft = await svc.broadcasts.start_draft(author, None)
    await svc.broadcasts.update_draft(
        author, draft.id, message=OutgoingMessage("Lịch trực Tết."), audience=Audience()
    )
    await svc.broadcasts.confirm(author, draft.id)
    found = await until_published(oa, draft.id)
    assert found.state == PUBLISHED and len(oa.fake.state.broadcasts) == 1
