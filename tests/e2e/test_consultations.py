"""Consultations over the Bot API: invitation to exactly the audience, answers, comments,
/consult, closing, reminders; and an officer's tally, paper ballots and closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.consultations.actions import (
    ComposeConfirm,
    ConsultAnswer,
    ConsultManage,
    ConsultShow,
    ConsultSure,
    Manage,
)
from bot.consultations.model import Kind
from bot.consultations.service import Proposal
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.views import ChatMessage
from tests.e2e.buttons import actions_in
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.outreach import seed_citizens, seed_silent_oa_citizens

AUTHOR = Recipient("cli", "operator")
OFFICER = 2001
HOUSEHOLD = "🏠 Hộ gia đình, lấy ý kiến"


def has_button(label: str) -> Callable[[ChatMessage], bool]:
    return lambda m: any(text == label for row in m.buttons for text, _data in row)


async def open_road_vote(bot: RunningBot, clock: ManualClock) -> int:
    proposal = Proposal(
        title="Đường bê tông thôn Đồng Tâm",
        summary="Dự kiến làm 1,2 km đường bê tông, dân góp công.",
        question="Bà con có đồng ý làm đường không?",
        options=("Đồng ý", "Không đồng ý"),
        closes_at=clock.now() + timedelta(days=3),
        audience=Audience("village", ("dong-tam",)),
    )
    consultation = await bot.services.consultations.open(AUTHOR, None, proposal)
    await drained(bot)
    return consultation.id


async def test_the_audience_answers_changes_comments_and_is_told_the_result(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    await seed_citizens(settings, clock, sandbox, [3003], village="tan-hung")
    bot = await start_bot()
    lan, minh, other = sandbox.user(3001), sandbox.user(3002), sandbox.user(3003)
    cid = await open_road_vote(bot, clock)

    invitation = await lan.wait_for(contains="Đường bê tông thôn Đồng Tâm")
    assert "Bà con có đồng ý" in invitation.text and "Nhận ý kiến đến" in invitation.text
    assert [a.option for a in actions_in(invitation, ConsultAnswer)] == [0, 1]
    await minh.wait_for(contains="Đường bê tông thôn Đồng Tâm")
    await other.send("/consult")  # the marker: nothing came before it
    await other.wait_for(contains="Hiện chưa có cuộc lấy ý kiến")
    assert not any("Đường bê tông" in m.content for m in other.messages)

    first = await lan.press("Đồng ý", invitation)
    assert "Bạn đã chọn: Đồng ý" in first.text and not first.show_alert
    changed = await lan.press("Không đồng ý", invitation)
    assert 'Đã đổi từ "Đồng ý" sang "Không đồng ý"' in changed.text
    await lan.press("💬 Thêm góp ý", invitation)
    await lan.wait_for(contains="Viết góp ý")
    await lan.send("Nên làm sau vụ mùa")
    await lan.wait_for(contains="góp ý đã được ghi nhận")

    await minh.send("/consult")
    listing = await minh.wait_for(contains="Đang lấy ý kiến")
    assert "Đường bê tông thôn Đồng Tâm" in listing.text

    clock.advance(timedelta(days=3))
    assert await bot.services.consultations.sweep() == [cid]
    late = await minh.press("Đồng ý", await minh.wait_for(contains="Bà con có"))
    assert late.show_alert and "đã kết thúc" in late.text
    await drained(bot)
    result = await lan.wait_for(contains="Kết quả")
    assert "Không đồng ý" in result.text and "Đã trả lời: 1/2" in result.text
    await minh.send("/consult")  # minh did not answer: the result is in /consult, not pushed
    await minh.wait_for(contains="Kết quả:")
    assert not any("📊" in m.content for m in minh.messages)


async def test_one_reminder_a_day_before_closing_to_those_who_have_not_answered(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002, 3004])
    bot = await start_bot()
    answered, waiting, opted_out = sandbox.user(3001), sandbox.user(3002), sandbox.user(3004)
    cid = await open_road_vote(bot, clock)
    await answered.press("Đồng ý", await answered.wait_for(contains="Bà con có"))
    await opted_out.send("/settings")
    await opted_out.press(HOUSEHOLD, await opted_out.wait_for(has_button(HOUSEHOLD)))
    await opted_out.press("🔕 Tắt nhắc nhở")
    await opted_out.wait_for(contains="Nhắc trước khi kết thúc lấy ý kiến: tắt")

    clock.advance(timedelta(days=2, hours=1))
    assert await bot.services.consultations.send_reminders() == 1
    await drained(bot)
    reminder = await waiting.wait_for(contains="Nhắc nhở")
    assert [a.consultation_id for a in actions_in(reminder, ConsultAnswer)] == [cid, cid]
    for user in (answered, opted_out):
        await user.send("/consult")  # the marker: the reminder would have come before it
        await user.wait_for(contains="Đang lấy ý kiến")
        assert not any("Nhắc nhở" in m.content for m in user.messages)


async def test_a_household_representative_declares_once_and_answers_for_the_household(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    bot = await start_bot()
    rep, neighbour = sandbox.user(3001), sandbox.user(3002)
    await rep.send("/settings")
    await rep.press(HOUSEHOLD, await rep.wait_for(has_button(HOUSEHOLD)))
    await rep.press("🏠 Tôi là đại diện hộ gia đình")
    await rep.wait_for(contains="Gửi tên hộ và địa chỉ")
    await rep.send("Hộ ông Nguyễn Văn An, xóm 2")
    await rep.wait_for(contains="bạn là đại diện của hộ gia đình này")
    proposal = Proposal(
        title="Góp quỹ điện chiếu sáng",
        question="Mỗi hộ góp 200.000 đồng?",
        options=("Tán thành", "Không tán thành"),
        kind=Kind.HOUSEHOLD,
        closes_at=clock.now() + timedelta(days=3),
        audience=Audience("village", ("dong-tam",)),
    )
    consultation = await bot.services.consultations.open(AUTHOR, None, proposal)
    await drained(bot)
    invitation = await neighbour.wait_for(contains="Mỗi hộ góp")
    refused = await neighbour.press("Tán thành", invitation)
    assert refused.show_alert and "Chỉ người đại diện hộ gia đình" in refused.text
    taken = await rep.press("Tán thành", await rep.wait_for(contains="Mỗi hộ góp"))
    assert "Bạn đã chọn: Tán thành" in taken.text
    _c, tally = await bot.services.consultations.results(consultation.id)
    assert tally.by_option() == (1, 0) and tally.eligible == 240


async def test_an_officer_follows_the_tally_enters_paper_ballots_and_closes_early(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    lan, hoa = sandbox.user(3001), sandbox.user(OFFICER, first_name="Hoa")
    await open_road_vote(bot, clock)
    await lan.press("Đồng ý", await lan.wait_for(contains="Bà con có"))
    await lan.press("💬 Thêm góp ý")
    await lan.send("Làm trước mùa mưa")
    await lan.wait_for(contains="góp ý đã được ghi nhận")

    await hoa.send("/consult")
    await hoa.press("#1 Đường bê tông thôn Đồng Tâm", await hoa.wait_for(contains="Lấy ý kiến"))
    tally = await hoa.wait_for(contains="Đã trả lời: 1/2")
    assert "Làm trước mùa mưa" in tally.text and "Dân 3001" not in tally.text
    await hoa.press("📝 Phiếu giấy", tally)
    await hoa.wait_for(contains="Phiếu giấy cho")
    await hoa.send("dong-tam 30 5 ; họp thôn tối 3/3")
    await hoa.wait_for(contains="trong đó bằng phiếu giấy: 35")
    await hoa.press("🔒 Kết thúc ngay", tally)
    await hoa.press("Có, kết thúc ngay", tally)
    await hoa.wait_for(contains="Đã kết thúc. Kết quả được gửi")
    await drained(bot)
    summary = await hoa.wait_for(contains="Cuộc lấy ý kiến #1 đã kết thúc")
    assert "Đồng ý: 31" in summary.text and "Nhiều ý kiến nhất" in summary.text
    await lan.wait_for(contains="📊 Kết quả")

    hoa.skip_pending()
    await hoa.send("/consult")
    await hoa.press("#1 Đường bê tông thôn Đồng Tâm", await hoa.next_message())
    preparing = await hoa.press("📄 Báo cáo (.docx)")
    assert "Đang lập báo cáo" in (preparing.text or "")
    report = await hoa.wait_for(lambda m: m.kind == "document", timeout=90)
    assert report.data["document"]["file_name"] == "lay-y-kien-1.docx"


async def test_an_officer_composes_previews_and_opens_a_consultation(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    await seed_citizens(settings, clock, sandbox, [3003], village="tan-hung")
    await seed_silent_oa_citizens(settings, clock, "zalo-silent")  # never wrote: not reached
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CHAIRMAN)
    bot = await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    await hoa.send("/consult")
    await hoa.press("➕ Lấy ý kiến mới", await hoa.wait_for(contains="Lấy ý kiến"))
    await hoa.wait_for(contains="Gửi tiêu đề")
    await hoa.send("Quy hoạch chợ <mới>")
    await hoa.wait_for(contains="Gửi tóm tắt")
    await hoa.send_document(filename="du-thao-cho.pdf", caption="Dự thảo quy hoạch chợ xã.")
    await hoa.wait_for(contains="Gửi câu hỏi")
    await hoa.send("Đặt chợ ở đâu?")
    await hoa.press("Một lựa chọn", await hoa.wait_for(contains="trả lời thế nào"))
    await hoa.wait_for(contains="mỗi dòng một phương án")
    await hoa.send("Cạnh UBND xã\nGần trường học")
    await hoa.press("Tiếp tục ▶", await hoa.wait_for(contains="Các câu hỏi đã có"))
    await hoa.press("Lấy ý kiến dự thảo", await hoa.wait_for(contains="Hình thức lấy ý kiến"))
    await hoa.press("Thôn Đồng Tâm", await hoa.wait_for(contains="Hỏi ý kiến ai"))
    await hoa.press("Tiếp tục ▶", await hoa.wait_for(has_button("✅ Thôn Đồng Tâm")))
    await hoa.press("Không, chỉ cán bộ đọc", await hoa.wait_for(contains="công khai"))
    await hoa.wait_for(contains="Khi nào bắt đầu")
    await hoa.send("ngay")
    await hoa.wait_for(contains="Khi nào kết thúc")
    await hoa.send("5/3/2026 17:00")
    summary = await hoa.wait_for(contains="Số người nhận: 2")
    assert "Và 1 người ngoài khung 48 giờ của Zalo: sẽ không gửi." in summary.text
    preview = await hoa.wait_for(contains="Đặt chợ ở đâu?")
    assert "Quy hoạch chợ <mới>" in preview.content  # escaped, shown as typed
    assert preview.kind == "document" and "Dự thảo quy hoạch chợ xã." in preview.content
    await hoa.press("✅ Mở lấy ý kiến", summary)
    await hoa.wait_for(contains="Đã mở, số #1")
    await drained(bot)
    invitation = await sandbox.user(3001).wait_for(contains="Đặt chợ ở đâu?")
    assert invitation.kind == "document"  # the draft goes with the invitation
    assert [a.option for a in actions_in(invitation, ConsultAnswer)] == [0, 1]
    await sandbox.user(3003).send("/consult")
    await sandbox.user(3003).wait_for(contains="Hiện chưa có")
    assert not any("Đặt chợ" in m.content for m in sandbox.user(3003).messages)


async def test_stale_and_forged_consultation_presses_are_answered_in_words(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001])
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    await start_bot()
    lan, hoa = sandbox.user(3001), sandbox.user(OFFICER)
    presses = [
        (lan, ConsultAnswer(999_999, 0), "Không có cuộc lấy ý kiến này"),
        (lan, ConsultShow(999_999), "Không có cuộc lấy ý kiến này"),
        (lan, ConsultManage(999_999, Manage.CLOSE), "chỉ dành cho cán bộ"),
        (hoa, ConsultManage(999_999, Manage.TALLY), "Không có cuộc lấy ý kiến này"),
        (hoa, ConsultSure(999_999, Manage.CANCEL), "Không có cuộc lấy ý kiến này"),
        (hoa, ComposeConfirm(999_999), "Không có cuộc lấy ý kiến này"),
    ]
    for who, action, words in presses:
        await who.send("/help")
        anywhere = await who.next_message()
        answer = await who.press_data(anywhere, action.pack())
        assert answer is not None and answer.show_alert, action
        assert words in (answer.text or ""), (action, answer.text)


async def test_mydata_lists_the_answers_and_erasure_keeps_a_closed_count_without_the_name(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    bot = await start_bot()
    lan, minh = sandbox.user(3001), sandbox.user(3002)
    cid = await open_road_vote(bot, clock)
    for user in (lan, minh):
        await user.press("Đồng ý", await user.wait_for(contains="Bà con có"))
    clock.advance(timedelta(days=3))
    await bot.services.consultations.sweep()

    await lan.send("/mydata")
    shown = await lan.wait_for(contains="Ý kiến bạn đã gửi trong các cuộc lấy ý kiến: 1")
    assert "Đường bê tông thôn Đồng Tâm: Đồng ý" in shown.text
    await lan.press("Xoá dữ liệu cá nhân của tôi", shown)
    await lan.press("Có, xoá")
    done = await lan.wait_for(contains="Xong. Đã xoá")
    assert "liên kết của 1 ý kiến trong các cuộc lấy ý kiến" in done.text
    _c, tally = await bot.services.consultations.results(cid)
    assert tally.by_option() == (2, 0) and tally.anonymised == 1
    lan.skip_pending()
    await lan.send("/mydata")
    again = await lan.next_message()
    assert "Ý kiến bạn đã gửi" not in again.text
