"""Public answers over HTTP: an officer publishes after a preview, another citizen browses."""

from dataclasses import replace

from bot.cases.model import Kind
from bot.messaging.channels import Recipient
from bot.people.officers import Role
from bot.public_answers.actions import AnswersEntry, PublicPreview
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.cases_steps import CODE_RE, reply_to, to_description
from tests.e2e.conftest import StartBot, add_officer
from tests.storage.test_cases import draft, submit

TEXT = (
    "Tôi là Nguyễn Thị Lan, nhà số 12 ngõ 3. Đèn đường trước nhà hỏng cả tháng nay, "
    "xin xã cho sửa. Cần gì gọi tôi: 0912 345 678 hoặc lan.nguyen@gmail.com."
)
ANSWER = "Ngày 5/3 xã đã thay bóng đèn đoạn đường này. Cảm ơn bà đã phản ánh."
SECRETS = ("Nguyễn", "Thị Lan", "0912", "345 678", "0987", "654 321", "số 12", "ngõ 3", "gmail")


async def file_feedback(lan: SimUser) -> str:
    """Lan files feedback with her name, phone and address in it; return the code."""
    await to_description(lan)
    assert "Bạn có thể gửi thêm" in await reply_to(lan, lan.send(TEXT))
    await lan.press("Tiếp tục")
    await lan.wait_for(contains="không bao giờ công khai")
    await lan.press("Tôi đồng ý")
    await lan.wait_for(contains="Bấm nút bên dưới")
    await lan.send("Nguyễn Thị Lan 0987 654 321")
    await lan.wait_for(contains="Xin kiểm tra lại")
    found = CODE_RE.search(await reply_to(lan, lan.press("✅ Gửi")))
    assert found is not None
    return found.group()


async def answer_case(hoa: SimUser, code: str, text: str) -> object:
    """The officer answers from the case card; return the "answer sent" confirmation."""
    card = await hoa.wait_for(contains=code)
    await hoa.press("Trả lời", card)
    await hoa.wait_for(contains="Gửi nội dung trả lời")
    await hoa.send(text)
    await hoa.press("Gửi câu trả lời")
    return await hoa.wait_for(contains=f"Đã gửi câu trả lời hồ sơ {code}")


async def test_an_answer_made_public_is_browsed_by_topic_without_identity(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    hoa = sandbox.user(2001, first_name="Hoa")
    lan = sandbox.user(1001, first_name="Lan", last_name="Nguyễn Thị")
    minh = sandbox.user(1002, first_name="Minh")
    code = await file_feedback(lan)
    confirm = await answer_case(hoa, code, ANSWER)
    await lan.wait_for(contains=ANSWER)

    await hoa.press("🌐 Công khai", confirm)
    first = await hoa.wait_for(contains="Xem trước nội dung công khai")
    assert "Xin kiểm tra để không còn họ tên" in first.text
    assert "Đèn đường trước nhà hỏng" in first.text and ANSWER in first.text
    assert "Phản ánh · Đường sá, hạ tầng · Thôn Tân Hưng · tháng 3 năm 2026" in first.text
    assert not [s for s in SECRETS if s in first.text] and "***" in first.text
    # The officer writes the summary; the first preview can no longer publish.
    await hoa.press("✏️ Tự viết phần tóm tắt", first)
    await hoa.wait_for(contains="Gõ phần tóm tắt")
    hoa.skip_pending()
    await hoa.send("Đèn đường ở thôn hỏng cả tháng, người dân đề nghị sửa. ĐT 0912345678")
    second = await hoa.next_message()
    assert "Đèn đường ở thôn hỏng cả tháng, người dân đề nghị sửa. ĐT ***" in second.text
    stale = await hoa.press("✅ Công khai", first)
    assert stale.show_alert and "đã cũ" in stale.text
    assert await bot.services.public_answers.topics() == {}
    ((_label, publish),) = second.buttons[0]
    await hoa.press("✅ Công khai", second)
    await hoa.wait_for(contains="Đã công khai")
    twice = await hoa.press_data(second, publish)
    assert twice is not None and "đã được công khai" in twice.text

    await minh.send("/answers")
    topics = await minh.wait_for(contains="Xin chọn lĩnh vực")
    await minh.press("Đường sá, hạ tầng (1)", topics)
    page = await minh.wait_for(contains="câu trả lời công khai 1–1 trên 1")
    assert "người dân đề nghị sửa" in page.text and ANSWER in page.text
    assert "Thôn Tân Hưng" in page.text
    minh.skip_pending()
    await minh.send("/stats")
    stats = await minh.next_message()
    await minh.press("📖 Câu trả lời công khai theo lĩnh vực", stats)
    again = await minh.wait_for(
        lambda m: m.message_id > stats.message_id and "Xin chọn lĩnh vực" in m.content
    )
    received = "\n".join(sandbox.state.texts_sent_to(minh.chat_id))
    assert not [s for s in (*SECRETS, "Lan", code) if s in received]
    published = [e for e in await bot.services.audit.recent() if e.action == "public:publish"]
    assert [(e.target, e.outcome) for e in published] == [(code, "ok")]

    await hoa.send("/public")
    listed = await hoa.wait_for(contains="Rút một mục")
    assert "người dân đề nghị sửa" in listed.text
    await hoa.press("🗑 Rút mục 1", listed)
    await hoa.wait_for(contains="Hiện chưa có câu trả lời nào được công khai")
    minh.skip_pending()
    await minh.send("/answers")
    assert "Chưa có câu trả lời nào được công khai" in (await minh.next_message()).text
    await minh.press("Đường sá, hạ tầng (1)", again)  # a button from before the withdrawal
    await minh.wait_for(
        lambda m: m.message_id == again.message_id and "Chưa có câu trả lời" in m.text
    )
    gone = AnswersEntry(1).pack()
    for data in (gone, "ans:t:nowhere:0", "ans:e:x", "ans:zz"):
        stale = await minh.press_data(again, data)
        assert stale is not None and stale.show_alert is (data != gone), data
    assert "không còn được công khai" in (await minh.next_message()).text
    withdrawn = [e for e in await bot.services.audit.recent() if e.action == "public:withdraw"]
    assert [(e.target, e.outcome) for e in withdrawn] == [(code, "ok")]


async def test_a_denunciation_is_never_offered_and_a_forged_publish_is_refused(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    await add_officer(settings, clock, 2002, "Anh Tư", Role.JUSTICE)
    bot = await start_bot()
    cases = bot.services.cases
    tu, hoa, lan = sandbox.user(2002), sandbox.user(2001), sandbox.user(1001)
    case = await submit(cases, replace(draft(Kind.DENUNCIATION), description=TEXT))
    await cases.announce(case)
    confirm = await answer_case(tu, case.code, ANSWER)
    assert confirm.buttons == []
    answer = (await cases.repo.events(case.id))[-1].id
    forged = PublicPreview(case.id, answer).pack()
    refused = await tu.press_data(confirm, forged)
    assert refused is not None and refused.show_alert and "phản ánh, kiến nghị" in refused.text
    for user in (hoa, lan):
        anywhere = await user.send("/help")
        refused = await user.press_data(anywhere, forged)
        assert refused is not None and "chỉ dành cho cán bộ" in refused.text
    assert await bot.services.db.scalar("SELECT COUNT(*) FROM public_answers") == 0
    denied = [e for e in await bot.services.audit.recent(50) if e.outcome == "denied"]
    assert {e.actor for e in denied} == {Recipient.telegram(2001), Recipient.telegram(1001)}
