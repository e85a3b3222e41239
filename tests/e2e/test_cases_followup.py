"""Officers' lists and closing actions; citizens reopen, see and erase their data."""

from datetime import timedelta

from bot.cases.model import Status
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.cases_steps import file_anonymous_feedback, reply_to, to_description, to_review
from tests.e2e.conftest import RunningBot, StartBot, add_officer


async def test_cases_list_filters_transfer_and_reopen(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, 2002, "Anh Tư", Role.JUSTICE)
    await add_officer(settings, clock, 2003, "Anh Bình", Role.CULTURE)
    bot = await start_bot()
    hoa, lan, mai = sandbox.user(2001), sandbox.user(1001), sandbox.user(1005)
    tu = sandbox.user(2002)
    first = await file_anonymous_feedback(lan)
    second = await file_anonymous_feedback(mai)

    await hoa.press("Giao cho…", await hoa.wait_for(contains=f"Phản ánh {second}"))
    choices = await hoa.wait_for(contains=f"Giao hồ sơ {second} cho")
    names = [label for row in choices.buttons for label, _ in row]
    assert names == ["Anh Tư", "Chị Hoa"]  # culture does not handle roads
    await hoa.press("Anh Tư", choices)
    assert (await tu.wait_for(contains=second)).buttons

    # Hoa's chat also gets case notices from the outbox: each reply by its words.
    listing = await reply_to(hoa, hoa.send("/cases"), "Hồ sơ đang mở")
    assert listing.index(first) < listing.index(second)  # nearest deadline first
    await reply_to(hoa, hoa.send("/cases mine"), "Không có hồ sơ")
    await reply_to(hoa, hoa.send("/cases overdue"), "Không có hồ sơ")
    await reply_to(hoa, hoa.send("/cases tomorrow"), "Không hiểu bộ lọc")
    card = await hoa.wait_for(contains=f"Phản ánh {first}")
    await hoa.press("Tôi nhận", card)
    mine = await reply_to(hoa, hoa.send("/cases mine roads tan-hung"), "Hồ sơ đang mở")
    assert first in mine and second not in mine  # the second went to Anh Tư
    clock.advance(timedelta(days=20))
    overdue = await reply_to(hoa, hoa.send("/cases overdue"), "Hồ sơ đang mở")
    assert f"⚠️ {first}" in overdue and second in overdue

    await hoa.press("Chuyển nơi khác", card)
    await hoa.wait_for(contains="nơi công dân cần liên hệ")
    await hoa.send("Công an huyện, số 5 đường Lê Lợi")
    await hoa.wait_for(contains="Đã hướng dẫn đến cơ quan có thẩm quyền")
    told = await lan.wait_for(contains="không thuộc thẩm quyền của xã")
    assert "Công an huyện" in told.text
    await lan.press("Chưa hài lòng: mở lại", told)
    await lan.wait_for(contains="vì sao bạn chưa hài lòng")
    await lan.send("Công an huyện bảo đây là việc của xã.")
    await lan.wait_for(contains="đã được mở lại")
    await hoa.wait_for(contains="Công an huyện bảo đây là việc của xã.")
    case = await bot.services.cases.repo.by_code(first)
    assert case.status is Status.NEW and case.closed_at is None

    asked = await hoa.send(f"/case {first}")
    # The card the officer pressed shows its timeline too: take the reply to /case.
    timeline = await hoa.wait_for(
        lambda m: m.message_id > asked.message_id and "Quá trình xử lý" in m.text
    )
    for line in ("Đã tiếp nhận", "Đã giao xử lý (Chị Hoa)", "Đã chuyển (Chị Hoa)", "Mở lại"):
        assert line in timeline.text


async def test_mydata_shows_and_erases_contact_details(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    await to_review(lan)
    await lan.press("✅ Gửi")
    await lan.wait_for(contains="Mã tra cứu")
    shown = await reply_to(lan, lan.send("/mydata"))
    assert "Nguyễn Thị Lan 0987654321" in shown
    await lan.press("Xoá dữ liệu cá nhân của tôi")
    await lan.wait_for(contains="Nội dung hồ sơ vẫn được lưu")
    await lan.press("Có, xoá")
    done = await lan.wait_for(contains="họ tên và số điện thoại trong 1 hồ sơ")
    assert "câu hỏi" not in done.text  # she asked none: nothing said about questions
    cases = await running_bot.services.cases.my_cases(Recipient.telegram(1001))
    assert cases[0].contact is None and cases[0].description
    assert "0987654321" not in await reply_to(lan, lan.send("/mydata"))


async def test_a_voice_note_can_be_the_description(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await start_bot()
    hoa, ba = sandbox.user(2001), sandbox.user(1007, first_name="Bà Năm")
    await to_description(ba)
    assert "Đã nhận: 1 tin nhắn thoại." in await reply_to(ba, ba.send_voice())
    forwarded = await reply_to(ba, ba.forward("Tin chuyển tiếp"))
    assert "chuyển tiếp" in forwarded  # the fallback answers, the form takes nothing
    await ba.press("Tiếp tục")
    await ba.wait_for(contains="không bao giờ công khai")
    await ba.press("Gửi ẩn danh")
    review = await ba.wait_for(contains="Xin kiểm tra lại")
    assert "🎤 Tin nhắn thoại" in review.text
    await ba.press("✅ Gửi", review)
    await ba.wait_for(contains="Mã tra cứu")
    await hoa.wait_for(contains="🎤 Tin nhắn thoại")
    await hoa.wait_for(lambda m: m.kind == "voice")
