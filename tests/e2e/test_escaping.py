"""Stored texts with <, > and & reach every screen as typed: escaped, never parsed as HTML.

The sandbox parses HTML strictly, as Telegram does: a name that slipped in
unescaped would either turn into formatting (and lose its characters) or be
refused with "can't parse entities". Every field below holds both traps.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings, Topic, Village
from bot.faq.repository import EntryDraft
from bot.messaging.channels import Recipient
from bot.outreach.library import store as library_store
from bot.outreach.library.render import item_message
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from scheduler.duties import TICK_JOB
from tests.e2e.cases_steps import CODE_RE
from tests.e2e.conftest import StartBot, add_officer, drained
from tests.e2e.duty_helpers import local, run_job
from tests.e2e.test_text_limits import refusals

OFFICER = "Chị <b>Hoa</b> & <Co>"
VILLAGE = "Thôn <i>Mới</i> &amp; <Tây>"
TOPIC = "Tin <b>&</b> <x>"
CITIZEN = "Lan <s>&</s>"
CONTACT = "Nguyễn <Văn> & An"
DESCRIPTION = "Cống <vỡ> & ngập <b>nước</b> &amp; bùn <i>"
ANSWER = "Đã sửa <cống> & dọn <b>bùn</b> &lt;xong&gt;"
QUESTION = "Làm <căn cước> & ở đâu?"
FAQ_ANSWER = "Đến <b>UBND</b> & mang &amp; giấy tờ <i>"
TITLE = "Tin <mới> & <b>nóng</b>"
SUMMARY = "Tóm <tắt> & &amp; hết <br>"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The commune's villages and topics, the first of each named with every trap."""
    villages = (Village("tan-hung", VILLAGE), *settings.villages[1:])
    topic = Topic("model_story", {"vi": TOPIC, "en": TOPIC})
    return replace(settings, villages=villages, topics=(topic, *settings.topics[1:]))


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "tin.md").write_text(
        f'---\nid: tin-bay\nkind: policy\ntitle: "{TITLE}"\nsummary: "{SUMMARY}"\n'
        f"date: 2025-01-01\n---\nThân <bài> & **đậm** &amp; hết.\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(library_store, "LIBRARY_DIR", folder)


async def said(user: SimUser, action: Awaitable[object], *literal: str) -> None:
    """The bot's new messages after the action show each literal text exactly as typed."""
    start = len(user.messages)
    await action
    for text in literal:
        await user.wait_for(lambda _m, t=text: any(t in m.content for m in user.messages[start:]))


async def test_every_stored_text_is_shown_as_typed(
    sandbox: SandboxServer,
    settings: Settings,
    clock: ManualClock,
    start_bot: StartBot,
    library: None,
) -> None:
    await add_officer(settings, clock, 2001, OFFICER, Role.OFFICE, Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(2001, first_name="Hoa")
    lan = sandbox.user(1001, first_name=CITIZEN, language_code="vi")

    # Onboarding and settings: village and topic names.
    await said(lan, lan.send("/start"), "Xin chào")
    await lan.press("Tiếng Việt")
    await lan.wait_for(contains="thôn nào")
    await lan.press(VILLAGE)
    await lan.wait_for(contains="chuyên mục nào")
    await lan.press(TOPIC)
    await lan.press("Xong")
    await lan.wait_for(contains="Bạn đã đăng ký nhận tin")
    await said(lan, lan.send("/settings"), f"Thôn: {VILLAGE}", f"Chuyên mục: {TOPIC}")

    # A case: the review, the officer's card, notices both ways, /track and /case.
    await said(lan, lan.send("/feedback"), "Bạn muốn gửi gì")
    await lan.press("Phản ánh")
    await lan.wait_for(contains="lĩnh vực nào")
    await lan.press("Đường sá, hạ tầng")
    await lan.wait_for(contains="thôn nào")
    await lan.press(VILLAGE)
    await said(lan, lan.send(DESCRIPTION), "Bạn có thể gửi thêm")
    await lan.press("Tiếp tục")
    await lan.wait_for(contains="không bao giờ công khai")
    await lan.press("Tôi đồng ý")
    await lan.wait_for(contains="Bấm nút bên dưới")
    await said(lan, lan.send(f"{CONTACT} 0912345678"), DESCRIPTION, CONTACT, VILLAGE)
    await lan.press("✅ Gửi")
    code = CODE_RE.search((await lan.wait_for(contains="Mã tra cứu")).text).group()
    card = await hoa.wait_for(lambda m: code in m.content and bool(m.buttons))
    for text in (DESCRIPTION, CONTACT, VILLAGE):
        assert text in card.text
    await hoa.press("Thụ lý", card)
    await hoa.wait_for(lambda m: m.message_id == card.message_id and "Đã thụ lý" in m.content)
    assert f"Người gửi: {CONTACT}" in card.text
    await hoa.press("💬 Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await said(hoa, hoa.send(ANSWER), "Đã thêm vào câu trả lời")
    await hoa.press("📨 Gửi câu trả lời")
    await lan.wait_for(contains=ANSWER)
    await said(lan, lan.send(f"/track {code}"), f"{ANSWER}")
    await said(hoa, hoa.send(f"/case {code}"), f"({OFFICER})", ANSWER, DESCRIPTION)

    # Officers' own screens: their name, the villages.
    await said(hoa, hoa.send("/officer"), OFFICER)
    await said(hoa, hoa.send("/subscribers"), f"• {VILLAGE}: 1")

    # The FAQ, the library (a teaser from the outbox, the list, the whole item).
    await bot.services.faq.import_drafts(
        [EntryDraft(QUESTION, FAQ_ANSWER, keywords=("căn cước",), reviewed=True)]
    )
    await said(lan, lan.send(QUESTION), QUESTION, FAQ_ANSWER)
    item = await bot.services.library.get("tin-bay")
    assert item is not None
    await bot.services.notifier.notify(Recipient.telegram(1001), item_message(item, "📖"))
    await drained(bot)
    await lan.wait_for(lambda m: TITLE in m.content and SUMMARY.strip() in m.content)
    await said(lan, lan.send("/news"), TITLE)
    await lan.press(TITLE[:10])
    await lan.wait_for(contains="Thân <bài> & đậm &amp; hết.")

    # What the bot holds: the Telegram name, the village, the contact.
    await said(lan, lan.send("/mydata"), CITIZEN, VILLAGE, CONTACT)

    # A duty done: the note with the officer's name is added to the reminder.
    clock.set(local(2026, 3, 20, 16))
    await run_job(bot, TICK_JOB)
    reminder = await hoa.wait_for(lambda m: m.kind == "text" and "Dân vận khéo" in m.content)
    await hoa.press("✅ Đã xong", reminder)
    confirm = await hoa.wait_for(lambda m: "Đúng, đã xong" in str(m.buttons))
    await hoa.press("✅ Đúng, đã xong", confirm)
    await hoa.wait_for(lambda m: OFFICER in m.content and "Dân vận khéo" in m.content)

    assert refusals(sandbox) == []
