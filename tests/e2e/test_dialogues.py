"""Dialogues and voter meetings over the Bot API: announcement, questions (text, voice,
signed, anonymous, public), "me too", closing, grouping, marking, answers to askers and
supporters, /news, unanswered questions becoming cases, the .docx report."""

from __future__ import annotations

import io
from datetime import timedelta

import docx

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.dialogues.actions import (
    DialogueAsk,
    DialogueManage,
    DialogueSupport,
    DialogueSure,
    DialogueVoice,
    Manage,
)
from bot.dialogues.model import Kind
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience
from bot.people.officers import Role
from bot.reports.period import month_of
from sandbox import SandboxServer
from sandbox.harness import SimUser
from sandbox.views import ChatMessage
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.outreach import seed_citizens, seed_silent_oa_citizens, until
from tests.e2e.test_reports import file_bytes

AUTHOR = Recipient("cli", "operator")
OFFICER, LAN, MINH, TU, OTHER = 2001, 3001, 3002, 3004, 3003
TITLE = "Tiếp xúc cử tri trước kỳ họp"


async def setting_up(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> RunningBot:
    """Three citizens of Đồng Tâm, one of Tân Hưng, the chairman; the bot started."""
    await seed_citizens(settings, clock, sandbox, [LAN, MINH, TU])
    await seed_citizens(settings, clock, sandbox, [OTHER], village="tan-hung")
    await add_officer(settings, clock, OFFICER, "Anh Bình", Role.CHAIRMAN)
    return await start_bot()


async def open_meeting(bot: RunningBot, clock: ManualClock) -> int:
    """A voter meeting for Đồng Tâm in a week, questions until two days before."""
    svc = bot.services.dialogues
    draft = await svc.start_draft(AUTHOR, None, Kind.VOTER_MEETING)
    await svc.update_draft(
        AUTHOR, draft.id, title=TITLE, place="Nhà văn hoá thôn Đồng Tâm",
        attendees="Đại biểu HĐND xã: ông Lê Văn Sơn, bà Trần Thị Mai",
        starts_at=clock.now() + timedelta(days=7), questions_close_at=clock.now() + timedelta(days=5),
        audience=Audience("village", ("dong-tam",)),
    )  # fmt: skip
    await svc.announce(draft.id)
    await drained(bot)
    return draft.id


async def ask(
    user: SimUser,
    announcement: ChatMessage,
    text: str | None,
    *,
    signed: bool = True,
    public: bool = True,
) -> ChatMessage:
    """Send a question through the form: words (or a voice note), topic, the two choices."""
    await user.press("❓ Gửi câu hỏi", announcement)
    await user.next_message(contains="viết trong một tin nhắn")
    if text is None:
        await user.send_voice()
    else:
        await user.send(text)
    form = await user.next_message(contains="lĩnh vực nào")
    await user.press("Đường sá, hạ tầng", form)
    await user.press("✍ Ghi tên tôi" if signed else "🕶 Ẩn danh", form)
    await user.press("👁 Có, công khai" if public else "🔒 Không, chỉ cán bộ", form)
    return form


async def officer_screen(officer: SimUser, title: str) -> ChatMessage:
    """The officer's questions screen of the event titled `title`."""
    officer.skip_pending()
    await officer.send("/dialogue")
    listing = await officer.next_message(contains="Đối thoại, tiếp xúc cử tri")
    await officer.press(title, listing)
    await until(lambda: "Câu hỏi:" in listing.content, what="the questions screen")
    return listing


async def test_an_event_from_its_announcement_to_the_answers_in_news(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    bot = await setting_up(sandbox, settings, clock, start_bot)
    await seed_silent_oa_citizens(settings, clock, "zalo-silent")  # never wrote: not reached
    binh, lan, minh, tu = (sandbox.user(i) for i in (OFFICER, LAN, MINH, TU))
    await binh.send("/dialogue")
    await binh.press("➕ Đối thoại mới", await binh.next_message(contains="Chưa có."))
    for prompt, typed in [
        ("Gửi tiêu đề", "Đối thoại về đường liên thôn"),
        ("Tổ chức khi nào", "10/3/2026 8:00"),
        ("Tổ chức ở đâu", "Hội trường UBND xã"),
        ("Thành phần tham dự", "Chủ tịch UBND xã Nguyễn Văn Bình"),
    ]:
        await binh.next_message(contains=prompt)
        await binh.send(typed)
    audience = await binh.next_message(contains="Thông báo cho ai")
    await binh.press("Thôn Đồng Tâm", audience)
    await binh.press("Xong", audience)
    await binh.wait_for(contains="Nhận câu hỏi đến khi nào")
    await binh.send("9/3/2026 17:00")
    preview = await binh.next_message(contains="Đối thoại về đường liên thôn")
    assert "Hội trường UBND xã" in preview.content and "Nguyễn Văn Bình" in preview.content
    summary = await binh.next_message(contains="Số người nhận: 3")
    assert "Và 1 người ngoài khung 48 giờ của Zalo: sẽ không gửi." in summary.text
    await binh.press("✅ Thông báo", summary)
    await binh.wait_for(contains="Đã thông báo, số #1")
    await drained(bot)

    announced = {
        u: await u.wait_for(contains="Đối thoại về đường liên thôn") for u in (lan, minh, tu)
    }
    assert "Xin gửi câu hỏi trước" in announced[lan].content
    await sandbox.user(OTHER).send("/dialogue")  # the marker: no announcement came before it
    await sandbox.user(OTHER).next_message(contains="Hiện chưa có buổi đối thoại")
    assert not any("đường liên thôn" in m.content for m in sandbox.user(OTHER).messages)

    lan_form = await ask(lan, announced[lan], "Khi nào sửa đường liên thôn? Gọi tôi 0912 345 678")
    assert "Đã nhận câu hỏi #1" in lan_form.content
    minh_text = "Tôi là Dân 3002 ở số 12 ngõ 3: bao giờ làm đường bê tông?"
    minh_form = await ask(minh, announced[minh], minh_text, signed=False)
    assert "#2" in minh_form.content and "ẩn danh" in minh_form.content
    await tu.press("📋 Các câu hỏi đã gửi", announced[tu])
    public = await tu.next_message(contains="nhiều người hỏi nhất")
    assert "0912" not in public.content and "***" in public.content
    assert "Dân 300" not in public.content and "ngõ 3" not in public.content  # his own name too
    assert "bao giờ làm đường bê tông?" in public.content
    supported = await tu.press("🙋 Tôi cũng hỏi #1", public)
    assert "Hiện có 2 người cùng hỏi câu #1" in (supported.text or "")

    screen = await officer_screen(binh, "#1 Đối thoại về đường")
    assert screen.content.index("#1") < screen.content.index("#2")  # most asked first
    assert "Dân 3001" in screen.content and "Dân 3002" not in screen.content  # minh: anonymous
    assert "ẩn danh" in screen.content
    await binh.press("🔗 Gộp câu hỏi", screen)
    await binh.next_message(contains="câu chính đứng đầu")
    await binh.send("1 2")
    grouped = await binh.next_message(contains="🔗 cùng #1")
    await binh.press("📌 Trả lời tại buổi gặp", grouped)
    await binh.next_message(contains="sẽ trả lời tại buổi gặp")
    await binh.send("1")
    marked = await binh.next_message(contains="📌 trả lời tại buổi gặp")

    clock.set(clock.now() + timedelta(days=8))  # the meeting was held
    for _ in range(2):  # the job runs every few minutes: the author is told once
        await bot.services.dialogues.sweep()
    await drained(bot)
    closed = await binh.wait_for(contains="đã hết hạn nhận câu hỏi")
    assert "#1 (🙋 2) Khi nào sửa đường liên thôn" in closed.content
    assert sum("đã hết hạn nhận câu hỏi" in m.content for m in binh.messages) == 1
    await binh.press("✍ Trả lời", marked)
    await binh.next_message(contains="dấu hai chấm")
    await binh.send("2: Tháng 5 năm nay xã làm đường bê tông.")
    await binh.next_message(contains="Đã ghi câu trả lời cho #1, #2")
    await drained(bot)
    for user in (lan, minh, tu):
        told = await user.wait_for(contains="Tháng 5 năm nay")
        assert "Trả lời từ buổi gặp" in told.content
    assert "***" in (await lan.wait_for(contains="Tháng 5 năm nay")).content  # masked, even to her

    await binh.press("🏁 Kết thúc", marked)
    await binh.press("Có, kết thúc", marked)
    await until(lambda: "đã kết thúc" in marked.content, what="the finish")
    audit = await bot.services.db.fetchall("SELECT action, target FROM audit_log ORDER BY id")
    done = [(r[0], r[1]) for r in audit if r[0].startswith("dialogue:")]
    assert done == [
        ("dialogue:announce", "1"), ("dialogue:group", "1#1,2"), ("dialogue:mark", "1#1"),
        ("dialogue:answer", "1#2"), ("dialogue:finish", "1"),
    ]  # fmt: skip
    assert "Đã trả lời: 2. Chuyển thành hồ sơ: 0." in marked.content
    tu.skip_pending()
    await tu.send("/news")
    await tu.press("💬 Kết quả trả lời", await tu.next_message())
    news = await tu.next_message(contains="Tháng 5 năm nay")
    assert "Khi nào sửa đường liên thôn" in news.content and "***" in news.content
    assert "0912" not in news.content and "Dân 30" not in news.content

    lan.skip_pending()
    await lan.send("/mydata")  # what the bot holds: her question, and who sees it
    held = await lan.next_message(contains="Câu hỏi bạn gửi các buổi đối thoại")
    assert "Đối thoại về đường liên thôn #1: «Khi nào sửa đường liên thôn?" in held.content


async def test_me_too_is_counted_once_per_citizen_on_public_questions_of_others(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    bot = await setting_up(sandbox, settings, clock, start_bot)
    binh, lan, minh, tu = (sandbox.user(i) for i in (OFFICER, LAN, MINH, TU))
    await open_meeting(bot, clock)
    announced = {u: await u.wait_for(contains=TITLE) for u in (lan, minh, tu)}
    await ask(lan, announced[lan], "Xin sửa cống thoát nước đầu thôn")
    await ask(minh, announced[minh], "Việc riêng của gia đình tôi", public=False)

    await tu.press("📋 Các câu hỏi đã gửi", announced[tu])
    listing = await tu.next_message(contains="nhiều người hỏi nhất")
    assert "cống thoát nước" in listing.content and "Việc riêng" not in listing.content
    first = await tu.press("🙋 Tôi cũng hỏi #1", listing)
    assert "Hiện có 2 người" in (first.text or "")
    again = await tu.press("🙋 Tôi cũng hỏi #1", listing)
    assert again.show_alert and "đã bấm “Tôi cũng hỏi” cho câu này rồi" in (again.text or "")
    await minh.press("📋 Các câu hỏi đã gửi", announced[minh])
    other = await minh.press("🙋 Tôi cũng hỏi #1", await minh.next_message(contains="nhiều người"))
    assert "Hiện có 3 người" in (other.text or "")

    ids = {
        r[0]: r[1]
        for r in await bot.services.db.fetchall("SELECT number, id FROM dialogue_questions")
    }
    own = await lan.press_data(announced[lan], DialogueSupport(ids[1]).pack())
    assert own is not None and own.show_alert and "của chính bạn" in (own.text or "")
    hidden = await tu.press_data(announced[tu], DialogueSupport(ids[2]).pack())
    assert hidden is not None and hidden.show_alert and "không công khai" in (hidden.text or "")
    other_village = sandbox.user(OTHER)  # the meeting is for Đồng Tâm only
    await other_village.send("/help")
    somewhere = await other_village.next_message()
    outsider = await other_village.press_data(somewhere, DialogueSupport(ids[1]).pack())
    assert outsider is not None and outsider.show_alert and "nơi khác" in (outsider.text or "")
    assert await bot.services.db.scalar("SELECT COUNT(*) FROM dialogue_support") == 2

    screen = await officer_screen(binh, f"#1 {TITLE}")
    assert "#1 · 🙋 3" in screen.content

    forged = [
        (tu, DialogueManage(1, Manage.FINISH), "chỉ dành cho cán bộ"),
        (tu, DialogueVoice(ids[1]), "chỉ dành cho cán bộ"),
        (tu, DialogueAsk(999), "Không có buổi đối thoại"),
        (binh, DialogueManage(999, Manage.QUESTIONS), "Không có buổi đối thoại"),
        (binh, DialogueSure(1, Manage.FINISH), "Câu hỏi còn được nhận đến"),  # not before closing
    ]
    for who, action, words in forged:
        answer = await who.press_data(announced[tu] if who is tu else screen, action.pack())
        assert answer is not None and answer.show_alert and words in (answer.text or ""), action


async def test_a_question_after_the_closing_time_is_refused_politely(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    bot = await setting_up(sandbox, settings, clock, start_bot)
    lan, minh = sandbox.user(LAN), sandbox.user(MINH)
    await open_meeting(bot, clock)
    closing = clock.now() + timedelta(days=5)
    announced = await lan.wait_for(contains=TITLE)
    clock.set(closing - timedelta(minutes=10))
    await lan.press("❓ Gửi câu hỏi", announced)  # begun in time...
    await lan.next_message(contains="viết trong một tin nhắn")
    await lan.send("Xin hỏi về trợ cấp người cao tuổi")
    form = await lan.next_message(contains="lĩnh vực nào")
    await lan.press("Khác", form)
    await lan.press("✍ Ghi tên tôi", form)

    clock.set(closing)  # ...sent at the closing time
    late = await lan.press("👁 Có, công khai", form)
    assert late.show_alert and "đã ngừng nhận câu hỏi" in (late.text or "")
    assert "Xin cảm ơn" in form.content
    refused = await minh.press("❓ Gửi câu hỏi", await minh.wait_for(contains=TITLE))
    assert refused.show_alert and "đã ngừng nhận câu hỏi" in (refused.text or "")
    assert await bot.services.db.scalar("SELECT COUNT(*) FROM dialogue_questions") == 0


async def test_anonymous_questions_stay_nameless_and_unanswered_ones_become_cases(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    bot = await setting_up(sandbox, settings, clock, start_bot)
    binh, lan, minh, tu = (sandbox.user(i) for i in (OFFICER, LAN, MINH, TU))
    meeting = await open_meeting(bot, clock)
    announced = {u: await u.wait_for(contains=TITLE) for u in (lan, minh, tu)}
    await ask(lan, announced[lan], None, signed=False, public=False)  # a voice note
    await ask(minh, announced[minh], "Khi nào có điện chiếu sáng đường thôn?")
    await ask(tu, announced[tu], "Xin làm rãnh thoát nước xóm 3")
    await tu.press("📋 Các câu hỏi đã gửi", announced[tu])
    await tu.press("🙋 Tôi cũng hỏi #2", await tu.next_message(contains="nhiều người"))

    screen = await officer_screen(binh, f"#{meeting} {TITLE}")
    assert "Dân 3001" not in screen.content and "ẩn danh" in screen.content
    assert "Dân 3002" in screen.content and "🎤" in screen.content
    await binh.press("🎤 #1", screen)
    voice = await binh.next_message(lambda m: m.kind == "voice")
    assert "Câu hỏi #1" in voice.content

    clock.set(clock.now() + timedelta(days=8))
    await binh.press("✍ Trả lời", screen)
    await binh.send("2: Quý III xã lắp đèn.")
    await binh.next_message(contains="Đã ghi câu trả lời cho #2")
    await binh.press("🏁 Kết thúc", screen)
    await binh.press("Có, kết thúc", screen)
    await until(lambda: "Chuyển thành hồ sơ: 2" in screen.content, what="the finish")
    await drained(bot)
    rows = await bot.services.db.fetchall(
        "SELECT q.number, c.code, c.kind, c.anonymous, c.reporter_external_id, c.due_on"
        " FROM dialogue_questions q JOIN cases c ON c.id = q.case_id ORDER BY q.number"
    )
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        (1, "petition", 1, str(LAN)), (3, "petition", 0, str(TU)),
    ]  # fmt: skip
    for user, row in ((lan, rows[0]), (tu, rows[1])):
        told = await user.wait_for(contains=row["code"])
        assert "chưa được trả lời tại buổi gặp" in told.content
    assert row["due_on"] > "2026-03-10"
    card = await binh.wait_for(contains=rows[0]["code"])  # the case card officers get
    assert "Dân 3001" not in card.content
    minh.skip_pending()
    await minh.send("/help")  # the marker: minh's question was answered, no case notice
    await minh.next_message()
    assert not any("thành hồ sơ" in m.content for m in minh.messages)

    preparing = await binh.press("📄 Báo cáo (.docx)", screen)
    assert "Đang lập báo cáo" in (preparing.text or "")
    report = await binh.wait_for(lambda m: m.kind == "document", timeout=30)
    assert report.data["document"]["file_name"] == f"doi-thoai-{meeting}.docx"
    parsed = docx.Document(io.BytesIO(file_bytes(sandbox, report)))
    paragraphs = [p.text for p in parsed.paragraphs]
    for section in ("I. BUỔI GẶP", "II. CÂU HỎI THEO LĨNH VỰC", "III. CÁC CÂU TRẢ LỜI",
                    "IV. CÂU HỎI CÒN CHƯA TRẢ LỜI"):  # fmt: skip
        assert section in paragraphs, section
    cells = [c.text for t in parsed.tables for r in t.rows for c in r.cells]
    assert "Quý III xã lắp đèn." in cells and rows[0]["code"] in cells and rows[1]["code"] in cells
    assert "2" in cells[cells.index(next(c for c in cells if "điện chiếu sáng" in c)) + 1]
    assert not any("Dân 30" in c for c in cells + paragraphs)

    period = month_of(clock.now(), settings.timezone)
    figures = (await bot.services.reports.collect(period, trend=False)).dialogues
    assert figures is not None and (figures.held, figures.questions, figures.answered) == (1, 3, 1)
