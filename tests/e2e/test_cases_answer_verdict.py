"""The citizen says whether an answer helped, right under the answer itself."""

from bot.cases.model import Action, Status
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.cases_steps import file_anonymous_feedback
from tests.e2e.conftest import StartBot, add_officer


async def answer(hoa: SimUser, code: str, text: str) -> None:
    card = await hoa.wait_for(contains=f"Phản ánh {code}")
    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send(text)
    await hoa.press("Gửi câu trả lời")
    await hoa.wait_for(contains="Đã gửi câu trả lời")


async def test_clear_answer_leads_to_rating_unclear_goes_back_to_the_office(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa, lan = sandbox.user(2001), sandbox.user(1001)
    code = await file_anonymous_feedback(lan)

    await answer(hoa, code, "Tuần sau xã sẽ sửa đoạn đường.")
    told = await lan.wait_for(contains="Tuần sau xã sẽ sửa đoạn đường.")
    assert "Câu trả lời này đã rõ chưa?" in told.text
    await lan.press("❓ Chưa rõ", told)
    await lan.wait_for(contains="Điều gì còn chưa rõ?")
    await lan.send("Sửa vào ngày nào?")
    await lan.wait_for(contains="đã được thêm vào hồ sơ")
    notice = await hoa.wait_for(contains="Sửa vào ngày nào?")
    assert "chưa rõ" in notice.text and code in notice.text
    case = await bot.services.cases.repo.by_code(code)
    assert case is not None and case.status is Status.NEW  # back with the office

    await answer(hoa, code, "Thứ Hai tuần sau.")
    told = await lan.wait_for(contains="Thứ Hai tuần sau.")
    await lan.press("✅ Đã rõ", told)
    rate = await lan.wait_for(contains="từ 1 đến 5")
    await lan.press("⭐⭐⭐⭐⭐", rate)
    await lan.wait_for(contains="góp ý thêm")
    await hoa.wait_for(contains="Công dân đã đánh giá")
    await lan.send("Rõ ràng, cảm ơn.")
    await lan.wait_for(contains="Cảm ơn ý kiến của bạn")
    case = await bot.services.cases.repo.by_code(code)
    assert case.rating == 5 and case.status is Status.ANSWERED
    events = [e.action for e in await bot.services.cases.repo.events(case.id)]
    assert events[1:] == [
        Action.ANSWERED,
        Action.INFO_ADDED,
        Action.ANSWERED,
        Action.RATED,
        Action.COMMENTED,
    ]
