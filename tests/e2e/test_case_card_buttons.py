"""A case card shows only the actions that make sense in the case's state."""

from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.views import ChatMessage
from tests.e2e.cases_steps import file_anonymous_feedback
from tests.e2e.conftest import StartBot, add_officer


def labels(card: ChatMessage) -> set[str]:
    return {label for row in card.buttons for label, _ in row}


async def test_card_buttons_follow_the_case_state(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await start_bot()
    hoa, lan = sandbox.user(2001), sandbox.user(1001)
    code = await file_anonymous_feedback(lan)
    card = await hoa.wait_for(contains=f"Phản ánh {code}")
    assert "✅ Thụ lý" in labels(card) and "✔️ Kết thúc" not in labels(card)

    await hoa.press("Thụ lý", card)
    await hoa.wait_for(lambda m: m.message_id == card.message_id and "đang giải quyết" in m.text)
    assert labels(card) == {
        "👥 Giao cho…",
        "❓ Đề nghị bổ sung",
        "💬 Trả lời",
        "↪️ Chuyển nơi khác",
        "✔️ Kết thúc",
        "⛔ Từ chối",
    }  # neither accept again nor take what is already hers

    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send("Đã sửa xong.")
    await hoa.press("Gửi câu trả lời")
    await hoa.wait_for(contains="Đã gửi câu trả lời")
    hoa.skip_pending()
    await hoa.send(f"/case {code}")
    answered = await hoa.next_message()
    assert code in answered.text
    assert labels(answered) == {"❓ Đề nghị bổ sung", "💬 Trả lời", "✔️ Kết thúc"}
