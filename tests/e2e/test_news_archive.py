"""Sent announcements join the archive: /news lists them for their audience, and opens them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.textfmt import utf16_len
from bot.outreach.actions import NewsPost, PostConfirm, PostLibrary
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.buttons import actions_in, has_action
from tests.e2e.conftest import StartBot, add_officer
from tests.e2e.outreach import copies, seed_citizens, with_broadcast
from tests.e2e.test_broadcasts import compose_text

OFFICER, LAN, MINH = 2001, 1001, 1002
NOTICE = (
    "Thông báo tiêm phòng dại cho chó, mèo\n\n"
    "Sáng thứ Bảy, từ 7h30, tại nhà văn hoá thôn Đồng Tâm. Bà con mang theo sổ tiêm."
)


@pytest.fixture
def bot_settings(settings: Settings, sandbox: SandboxServer) -> Settings:
    fast = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    return with_broadcast(fast, allow_any_rate=True, rate=300)


def post_buttons(listing) -> list[str]:
    return [action.pack() for action in actions_in(listing, NewsPost)]


async def test_a_sent_village_announcement_is_in_that_villages_news_only(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [LAN], village="dong-tam")
    await seed_citizens(settings, clock, sandbox, [MINH], village="viet-tien")
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    hoa, lan, minh = (sandbox.user(i) for i in (OFFICER, LAN, MINH))

    steps = ["Các thôn được chọn", "Thôn Đồng Tâm", "Xong"]
    await hoa.press("✅ Gửi", await compose_text(hoa, NOTICE, steps))
    await hoa.wait_for(contains="đã gửi xong")
    assert copies(sandbox, LAN, "tiêm phòng dại") == 1  # delivered, as usual

    lan.skip_pending()
    await lan.send("/news")
    listing = await lan.next_message()
    first = listing.text.splitlines()[2]  # after the heading and a blank line
    assert first.startswith("1. 📢 Thông báo tiêm phòng dại cho chó, mèo ·")
    (data,) = post_buttons(listing)
    await lan.press("📢 Thông báo tiêm phòng", listing)
    reread = await lan.next_message()
    assert reread.text == NOTICE and copies(sandbox, LAN, "mang theo sổ tiêm") == 2

    minh.skip_pending()
    await minh.send("/news")
    other = await minh.next_message()
    assert "tiêm phòng dại" not in other.text and post_buttons(other) == []
    forged = await minh.press_data(other, data)  # the id guessed from another chat
    assert forged is not None and forged.show_alert and "không còn" in (forged.text or "")
    assert copies(sandbox, MINH, "tiêm phòng dại") == 0


async def test_a_photo_announcement_is_reopened_with_its_caption(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [LAN], village="dong-tam")
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    hoa, lan = sandbox.user(OFFICER), sandbox.user(LAN)

    await hoa.send("/post")
    (library,) = actions_in(await hoa.next_message(), PostLibrary)
    draft = library.draft_id
    await hoa.send_photo(caption="Ảnh lễ ra quân làm đường giao thông nông thôn")
    await hoa.wait_for(contains="chuyên mục nào")
    for label in ("Dân vận khéo", "Tất cả", "Gửi ngay"):
        await hoa.press(label)
    summary = await hoa.wait_for(lambda m: has_action(m, PostConfirm(draft)))
    await hoa.press("✅ Gửi", summary)
    await hoa.wait_for(contains="đã gửi xong")

    lan.skip_pending()
    await lan.send("/news")
    await lan.press("📢 Ảnh lễ ra quân", await lan.next_message())
    photo = await lan.next_message()
    assert photo.kind == "photo" and utf16_len(photo.caption) <= 1024
    assert photo.caption == "Ảnh lễ ra quân làm đường giao thông nông thôn"
