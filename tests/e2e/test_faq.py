"""A citizen asks the FAQ over HTTP; what it cannot answer is a question case, then an entry."""

from bot.cases.model import Kind, Status
from bot.faq.actions import FaqPublish
from bot.faq.matcher import Verdict
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from sandbox import SandboxServer
from tests.e2e.cases_steps import CODE_RE
from tests.e2e.conftest import RunningBot, StartBot, add_officer
from tests.e2e.outreach import seed_citizens


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
    assert "10 ngày làm việc" in offer.text
    # A menu label typed (or pressed) is the menu's, not a question.
    await hung.send("ℹ️ Hướng dẫn")
    assert "/start" in (await hung.wait_for(contains="Tôi có thể")).text


async def test_a_question_sharing_only_syllables_gets_no_suggestion_but_the_officers(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    """ "khi nao hop dan" (the villagers' meeting) is not about contracts or insurance."""
    binh = sandbox.user(1003, first_name="Bình")
    await binh.send("khi nao hop dan")
    offer = await binh.next_message()
    assert "chưa có sẵn câu trả lời" in offer.text and "gửi câu hỏi tới cán bộ xã" in offer.text
    labels = [label for row in offer.buttons for label, _ in row]
    assert labels == ["📨 Gửi cho cán bộ xã", "Không, cảm ơn"]


async def test_unknown_question_becomes_a_case_answered_then_published(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(2001, first_name="Hoa")
    lan = sandbox.user(1001, first_name="Lan")
    question = "Khi nào đường liên thôn được đổ bê tông?"
    await lan.send(question)
    offer = await lan.next_message()
    assert "chưa có sẵn câu trả lời" in offer.text and "10 ngày làm việc" in offer.text
    await lan.press("📨 Gửi cho cán bộ xã", offer)
    # Shown first, nothing sent yet; what the citizen types is added to it.
    preview = await lan.wait_for(contains="Nội dung sẽ gửi tới cán bộ xã")
    assert question in preview.text and preview.message_id == offer.message_id
    assert await bot.services.cases.my_cases(Recipient.telegram(1001)) == []
    await lan.send("Đoạn từ thôn Tân Hưng đi thôn Đồng Tâm.")
    more = await lan.wait_for(contains="Đoạn từ thôn Tân Hưng đi thôn Đồng Tâm.")
    assert question in more.text and "Đoạn từ thôn Tân Hưng" in more.text
    await lan.press("📨 Gửi", more)
    sent = await lan.wait_for(contains="Mã tra cứu: PA-")
    found = CODE_RE.search(sent.text)
    assert found is not None
    code = found.group()
    # A question case: ten working days from Monday 2 March 2026, and /track works.
    assert "16/03/2026" in sent.text and f"/track {code}" in sent.text

    card = await hoa.wait_for(contains=code)
    assert question in card.text and "Đoạn từ thôn Tân Hưng đi thôn Đồng Tâm." in card.text
    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send("Tháng 6 năm nay xã sẽ đổ bê tông.")
    await hoa.press("Gửi câu trả lời")
    confirm = await hoa.wait_for(contains="Đã gửi câu trả lời")
    reply = await lan.wait_for(contains="Tháng 6 năm nay")
    assert code in reply.text
    ((label, publish),) = confirm.buttons[0]
    assert label == "📚 Đưa vào mục hỏi đáp" and publish is not None
    await hoa.press(label, confirm)
    # Reviewed first: Lan chose no village, so the entry can only be for every village.
    review = await hoa.wait_for(contains="xin đồng chí xem lại")
    assert question in review.text and "Dành cho: mọi thôn" in review.text
    await hoa.press("✅ Đưa vào mục hỏi đáp", review)
    await hoa.wait_for(contains="Đã đưa vào mục hỏi đáp")
    twice = await hoa.press_data(confirm, publish)
    assert twice is not None and "đã có trong mục hỏi đáp" in twice.text

    lan.skip_pending()
    await lan.send("khi nao duong lien thon duoc do be tong")
    again = await lan.next_message()
    assert again.text.startswith("❓ " + question)
    assert "Tháng 6 năm nay xã sẽ đổ bê tông" in again.text
    published = [e for e in await bot.services.audit.recent() if e.action == "faq:publish"]
    assert [(e.target, e.outcome) for e in published] == [(code, "ok")]
    case = await bot.services.cases.repo.by_code(code)
    assert case is not None and case.kind is Kind.QUESTION and case.status is Status.ANSWERED
    assert await bot.services.citizens.get(Recipient.telegram(1001)) is None
    assert all(text != label for m in lan.messages for row in m.buttons for text, _ in row)


async def test_the_officer_corrects_the_question_and_keeps_the_answer_to_its_village(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    """The citizen's raw words are corrected before they are published, for one village."""
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    (villager, elsewhere) = await seed_citizens(settings, clock, sandbox, [1004, 1005])
    await seed_citizens(settings, clock, sandbox, [1006], village="tan-hung")
    bot = await start_bot()
    hoa, lan = sandbox.user(2001, first_name="Hoa"), sandbox.user(villager)
    await lan.send("khi nao hop dan")
    await lan.press("📨 Gửi cho cán bộ xã", await lan.next_message())
    await lan.press("📨 Gửi", await lan.wait_for(contains="Nội dung sẽ gửi tới cán bộ xã"))
    code = CODE_RE.search((await lan.wait_for(contains="Mã tra cứu: PA-")).text).group()
    await hoa.press("Trả lời", await hoa.wait_for(contains=code))
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send("Thôn Đồng Tâm họp dân 19h tối thứ Sáu tại nhà văn hoá.")
    await hoa.press("Gửi câu trả lời")
    await hoa.press("📚 Đưa vào mục hỏi đáp", await hoa.wait_for(contains="Đã gửi câu trả lời"))

    review = await hoa.wait_for(contains="xin đồng chí xem lại")
    assert "khi nao hop dan" in review.text and "Dành cho: Thôn Đồng Tâm" in review.text
    await hoa.press("✏️ Sửa câu hỏi", review)
    prompt = await hoa.wait_for(contains="Gửi câu hỏi đúng như cần đăng")
    assert "khi nao hop dan" in prompt.text  # the current words, to copy and correct
    await hoa.send("Khi nào thôn Đồng Tâm họp dân?")
    again = await hoa.wait_for(lambda m: "Khi nào thôn Đồng Tâm họp dân?" in m.text and m.buttons)
    await hoa.press("✏️ Sửa câu trả lời", again)
    await hoa.wait_for(contains="Gửi câu trả lời đúng như cần đăng")
    await hoa.send("Thôn Đồng Tâm họp dân lúc 19h tối thứ Sáu hằng tháng, tại nhà văn hoá thôn.")
    final = await hoa.wait_for(lambda m: "hằng tháng" in m.text and bool(m.buttons))
    assert "Dành cho: Thôn Đồng Tâm" in final.text and "khi nao hop dan" not in final.text
    await hoa.press("✅ Đưa vào mục hỏi đáp", final)
    await hoa.wait_for(contains="Đã đưa vào mục hỏi đáp")

    faq = bot.services.faq
    entry = next(e for e in await faq.entries.all() if e.origin == "published")
    assert (entry.question, entry.village_id) == ("Khi nào thôn Đồng Tâm họp dân?", "dong-tam")
    assert entry.answer.startswith("Thôn Đồng Tâm họp dân lúc 19h")
    # Answered at once in Đồng Tâm; not offered in Tân Hưng, nor to someone of no village.
    neighbour = sandbox.user(elsewhere)
    await neighbour.send("khi nào thôn họp dân")
    assert (await neighbour.next_message()).text.startswith("❓ Khi nào thôn Đồng Tâm họp dân?")
    for other in (sandbox.user(1006), sandbox.user(1007, first_name="Khách")):
        await other.send("khi nào thôn họp dân")
        offer = await other.wait_for(contains="gửi câu hỏi tới cán bộ xã")
        assert "Đồng Tâm" not in offer.text


async def test_a_citizen_cannot_publish_even_with_forged_data(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    cases, faq = bot.services.cases, bot.services.faq
    lan = sandbox.user(1001, first_name="Lan")
    question = "Khi nào có điện ở xóm Bãi?"
    case = await cases.submit_question(Recipient.telegram(1001), question)
    await cases.answer(Recipient.telegram(2001), case.id, "Cuối năm nay.")
    events = await cases.repo.events(case.id)
    answer = events[-1].id
    anywhere = await lan.send("/help")
    for action in (
        FaqPublish(case.id, answer),
        FaqPublish(case.id, answer + 1),
        FaqPublish(case.id + 50, answer),
    ):
        refused = await lan.press_data(anywhere, action.pack())
        assert refused is not None and refused.show_alert, action
        assert "chỉ dành cho cán bộ" in refused.text, action
    forged = await lan.press_data(anywhere, "faq:pub:1;DROP TABLE faq_entries:2")
    assert forged is not None and forged.show_alert and "không còn hiệu lực" in forged.text
    assert (await faq.ask(question)).verdict is not Verdict.CONFIDENT
    denied = [e for e in await bot.services.audit.recent(50) if e.outcome == "denied"]
    assert {(e.actor.external_id, e.action) for e in denied} == {("1001", "faq:publish")}
    assert len(denied) == 3
    hoa = sandbox.user(2001)
    for data in (FaqPublish(case.id, events[0].id).pack(), "faq:pub:x:y", "faq:pub:"):
        refused = await hoa.press_data(await hoa.send("/cases"), data)
        assert refused is not None and refused.show_alert, data
    assert (await faq.ask(question)).verdict is not Verdict.CONFIDENT


async def test_the_daily_limit_is_told_plainly(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    cases = running_bot.services.cases
    lan = sandbox.user(1001, first_name="Lan")
    for n in range(cases.config.max_cases_per_day):
        await cases.submit_question(Recipient.telegram(1001), f"Câu hỏi số {n}")
    await lan.send("Khi nào có điện ở xóm Bãi?")
    offer = await lan.next_message()
    await lan.press("📨 Gửi cho cán bộ xã", offer)
    await lan.press("📨 Gửi", await lan.wait_for(contains="Nội dung sẽ gửi tới cán bộ xã"))
    told = await lan.wait_for(contains="chưa được gửi đi")
    assert told.message_id == offer.message_id and "ngày mai" in told.text
    assert (await running_bot.services.faq.stats()).sent_to_officers == 0


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
