"""Citizens browse the library: /news and /models, paging, opening items, village rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.textfmt import utf16_len
from bot.outreach.actions import NewsOpen
from bot.outreach.library import store as library_store
from sandbox import SandboxServer
from tests.e2e.buttons import actions_in
from tests.e2e.conftest import StartBot
from tests.e2e.outreach import seed_citizens


def titles(message) -> list[str]:
    """The numbered lines of a list page: one per item."""
    return [line for line in message.text.splitlines() if line[:1].isdigit()]


async def test_news_pages_show_only_items_for_the_citizens_village(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [1001], village="dong-tam")
    await seed_citizens(settings, clock, sandbox, [1002], village="viet-tien")
    await start_bot()
    lan, minh = sandbox.user(1001), sandbox.user(1002)

    await lan.send("/news")
    first = await lan.next_message()
    assert "Tin mới của xã (1–5 trên 10)" in first.text and len(titles(first)) == 5
    assert len(actions_in(first, NewsOpen)) == 5
    await lan.press("Cũ hơn ▶", first)
    assert "(6–10 trên 10)" in first.text  # the same message, edited to the next page
    lan_titles = titles(first)
    await lan.press("◀ Mới hơn", first)
    lan_titles += titles(first)
    assert any("Thôn Đồng Tâm họp bàn" in t for t in lan_titles)
    assert not any("Việt Tiến" in t for t in lan_titles)

    await minh.send("/news")
    page = await minh.next_message()
    await minh.press("Cũ hơn ▶", page)
    minh_titles = titles(page)
    await minh.press("◀ Mới hơn", page)
    minh_titles += titles(page)
    assert any("Việt Tiến" in t for t in minh_titles)
    assert not any("Thôn Đồng Tâm họp bàn" in t for t in minh_titles)

    await lan.send("/models")
    models = await lan.next_message()
    assert "(1–3 trên 3)" in models.text and all("(Bài mẫu)" in t for t in titles(models))


async def test_opening_an_item_sends_its_image_with_a_caption_then_the_text(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [1001])
    await start_bot()
    lan = sandbox.user(1001)
    await lan.send("/models")
    listing = await lan.next_message()
    await lan.press("Thôn Đồng Tâm cùng nhau", listing)
    photo = await lan.next_message()
    assert photo.kind == "photo" and photo.caption.startswith("Dân vận khéo: Thôn Đồng Tâm")
    assert utf16_len(photo.caption) <= 1024 and "(Bài mẫu" in photo.caption
    body = await lan.next_message()
    assert "Bàn từ từng nhà" in photo.caption and "dân kiểm tra" in body.text
    assert "\n\n".join([photo.caption, body.text]).count("Kết quả") == 1


async def test_a_long_item_is_split_on_paragraph_boundaries(
    sandbox: SandboxServer,
    settings: Settings,
    clock: ManualClock,
    start_bot: StartBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paragraphs = [f"Đoạn {n}: " + "Bà con thôn xóm cùng nhau làm đường. " * 25 for n in range(12)]
    (tmp_path / "long.md").write_text(
        "---\nid: bai-dai\nkind: policy\ntitle: Bài rất dài\ndate: 2025-01-01\n---\n"
        + "\n\n".join(paragraphs),
        encoding="utf-8",
    )
    monkeypatch.setattr(library_store, "LIBRARY_DIR", tmp_path)
    await seed_citizens(settings, clock, sandbox, [1001])
    await start_bot()
    lan = sandbox.user(1001)
    await lan.send("/news")
    await lan.press("Bài rất dài", await lan.next_message())
    parts = [await lan.next_message() for _ in range(3)]
    assert all(utf16_len(p.text) <= 4096 for p in parts)
    joined = [block for p in parts for block in p.text.split("\n\n")]
    assert joined == ["Bài rất dài", *(p.strip() for p in paragraphs)]
