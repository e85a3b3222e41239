"""A citizen asks the FAQ over HTTP; officers answer what it cannot and publish it."""

from bot.channels import Recipient
from bot.officers import Role
from bot.sandbox import SandboxServer
from tests.e2e.conftest import RunningBot, StartBot, add_officer


async def test_question_without_diacritics_is_answered_at_once(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("lam giay khai sinh cho con can giay to gi")
    answer = await lan.next_message()
    assert answer.text.startswith("❓ Đăng ký khai sinh cho con cần những giấy tờ gì?")
    assert "Giấy chứng sinh" in answer.text and "Căn cứ: Luật Hộ tịch 2014" in answer.text
    await lan.press("✅ Đã rõ, cảm ơn", answer)
    stats = await running_bot.services.faq.stats()
    assert (stats.asked, stats.confident, stats.helpful) == (1, 1, 1)


async def test_close_questions_are_offered_and_menu_labels_left_alone(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    hung = sandbox.user(1002, first_name="Hùng")
    await hung.send("lam so do o dau")
    choices = await hung.next_message()
    assert choices.text == "Có phải bạn muốn hỏi một trong các câu sau?"
    await hung.press("Làm sổ đỏ lần đầu", choices)
    shown = await hung.wait_for(lambda m: "04/ĐK" in m.text)
    await hung.press("❌ Không đúng điều tôi hỏi", shown)
    offer = await hung.wait_for(contains="gửi câu hỏi tới cán bộ xã")
    assert "5 ngày làm việc" in offer.text
    # A menu label typed (or pressed) is the menu's, not a question.
    await hung.send("ℹ️ Hướng dẫn")
    assert "/start" in (await hung.wait_for(contains="Tôi có thể")).text


async def test_unknown_question_is_answered_by_an_officer_then_published(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hà", Role.JUSTICE)
    bot = await start_bot()
    ha = sandbox.user(2001, first_name="Hà")
    lan = sandbox.user(1001, first_name="Lan")
    question = "Khi nào đường liên thôn được đổ bê tông?"
    await lan.send(question)
    offer = await lan.next_message()
    assert "chưa có sẵn câu trả lời" in offer.text
    await lan.press("📨 Gửi cho cán bộ xã", offer)
    sent = await lan.wait_for(contains="Mã tra cứu: CH-0001")
    assert "09/03/2026" in sent.text or "9 thg 3, 2026" in sent.text
    notice = await ha.wait_for(contains="CH-0001")
    assert question in notice.text

    await ha.send("/faqanswer CH-0001 Tháng 6 năm nay xã sẽ đổ bê tông.")
    reply = await lan.wait_for(contains="Tháng 6 năm nay")
    assert "CH-0001" in reply.text
    confirm = await ha.wait_for(contains="Đã gửi câu trả lời")
    await ha.press("📚 Đưa vào mục hỏi đáp", confirm)
    await ha.wait_for(contains="Đã đưa vào mục hỏi đáp")

    lan.skip_pending()
    await lan.send("khi nao duong lien thon duoc do be tong")
    again = await lan.next_message()
    assert "Tháng 6 năm nay xã sẽ đổ bê tông" in again.text
    assert again.text.startswith("❓ " + question)
    actions = [e.action for e in await bot.services.audit.recent()]
    assert "faq:answer" in actions and "faq:publish" in actions
    assert await bot.services.citizens.get(Recipient.telegram(1001)) is None


async def test_faqstats_shows_unanswered_questions_to_officers_only(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2002, "Anh Tư", Role.OFFICE)
    await start_bot()
    lan = sandbox.user(1001, first_name="Lan")
    await lan.send("Khi nào có điện ở xóm Bãi?")
    await lan.next_message()
    await lan.send("/faqstats")
    assert "chỉ dành cho cán bộ" in (await lan.next_message()).text
    tu = sandbox.user(2002, first_name="Tư")
    await tu.send("/faqstats")
    stats = await tu.next_message()
    assert "Số câu hỏi: 1" in stats.text and "Khi nào có điện ở xóm Bãi?" in stats.text
