"""A citizen's feedback from the form to the rating, with the officer on the other side."""

import re

from bot.cases.model import Action, Status
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.conftest import StartBot, add_officer

CODE_RE = re.compile(r"PA-[2-9A-Z]{5}")


async def test_feedback_journey_with_photo_location_and_rating(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(2001, first_name="Hoa")  # the officer is served in Vietnamese
    mai = sandbox.user(1003, first_name="Mai", last_name="Lê", language_code="en")

    await mai.send("/feedback")
    await mai.wait_for(contains="What would you like to send")
    await mai.press("Feedback")
    await mai.wait_for(contains="What is it about")
    await mai.press("Pollution")
    await mai.wait_for(contains="In which village")
    await mai.press("Thôn Tân Hưng")
    await mai.wait_for(contains="describe it in your own words")
    await mai.send("The stream behind the market smells and is full of rubbish.")
    await mai.wait_for(contains="You can add photos")
    await mai.send_photo()
    await mai.wait_for(contains="Added: 1 photo.")
    await mai.send_location(21.03, 105.85)
    await mai.wait_for(contains="Added: 1 photo, a location.")
    await mai.press("Continue")
    consent = await mai.wait_for(contains="never published")
    assert "/mydata" in consent.text
    await mai.press("I agree")
    await mai.wait_for(contains="share your phone number")
    await mai.press_reply("📱 Share my phone number")
    review = await mai.wait_for(contains="Please check before sending")
    assert "Lê Mai" in review.text and "Pollution" in review.text
    await mai.press("Send")
    done = await mai.wait_for(contains="Tracking code")
    code = CODE_RE.search(done.text).group()
    case = await bot.services.cases.repo.by_code(code)
    assert case is not None and case.status is Status.NEW

    card = await hoa.wait_for(contains=code)
    assert "Lê Mai" in card.text and "rubbish" in card.text and "maps.google.com" in card.text
    assert not re.search(r"\b1003\b", card.text)  # never the citizen's Telegram account
    await hoa.wait_for(lambda m: m.kind == "photo" and code in m.content)

    await hoa.press("Thụ lý", card)
    await mai.wait_for(contains="has been accepted")
    await hoa.press("Đề nghị bổ sung", card)
    await hoa.wait_for(contains="Gõ câu hỏi")
    await hoa.send("Since when does it smell?")
    await hoa.wait_for(contains="Xong: hồ sơ")
    ask = await mai.wait_for(contains="Since when does it smell?")
    await mai.press("Add information", ask)
    await mai.wait_for(contains="Send the information")
    await mai.send("Since last Monday.")
    await mai.wait_for(contains="Added. Send more")
    await mai.press("📨 Send")
    await mai.wait_for(contains="information was added")
    await hoa.wait_for(contains="Since last Monday.")

    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send("We cleaned the stream on Tuesday.")
    await hoa.send_photo()
    await hoa.press("Gửi câu trả lời")
    await hoa.wait_for(contains="Đã gửi câu trả lời")
    await mai.wait_for(contains="We cleaned the stream on Tuesday.")
    await mai.wait_for(lambda m: m.kind == "photo" and code in m.content)

    await hoa.press("Kết thúc", card)
    await hoa.press("Kết thúc, không ghi chú")
    rate = await mai.wait_for(contains="Rate from 1 to 5")
    await mai.press("⭐⭐⭐⭐", rate)
    await mai.wait_for(contains="add a comment")
    await mai.send("Quick and clear, thank you.")
    await mai.wait_for(contains="Thank you for your comment")
    await hoa.wait_for(contains="Công dân đã đánh giá")
    await hoa.wait_for(contains="Quick and clear, thank you.")

    events = await bot.services.cases.repo.events(case.id)
    assert [e.action for e in events] == [
        Action.SUBMITTED,
        Action.ACCEPTED,
        Action.INFO_REQUESTED,
        Action.INFO_ADDED,
        Action.ANSWERED,
        Action.RESOLVED,
        Action.RATED,
        Action.COMMENTED,
    ]
    assert [len(e.files) for e in events][:5] == [1, 0, 0, 0, 1]
    case = await bot.services.cases.repo.by_code(code)
    assert case.rating == 4 and case.status is Status.RESOLVED

    await mai.send(f"/track {code.lower()}")
    view = await mai.wait_for(contains="Timeline")
    assert "Chị Hoa" not in view.text and "Office and Statistics" in view.text
    for step in ("Received", "Accepted", "More information requested", "Answered", "Resolved"):
        assert step in view.text
