"""Consultations of several questions over the Bot API: the composer (questions, villages,
topics, public comments), citizens answering in turn and changing their answers, and the
officers moderating comments (answer publicly, hide, turn into a case)."""

from __future__ import annotations

from datetime import timedelta

from bot.consultations.actions import ConsultStep
from bot.consultations.model import Kind, Question, QuestionType
from bot.consultations.service import Proposal
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience
from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from tests.e2e.buttons import actions_in
from tests.e2e.conftest import RunningBot, StartBot, add_officer, drained
from tests.e2e.outreach import seed_citizens
from tests.e2e.test_consultations import has_button

AUTHOR = Recipient("cli", "operator")
OFFICER = 2001
MARKET = (
    Question(QuestionType.SINGLE, "Đặt chợ ở đâu?", ("Cạnh UBND xã", "Gần trường học")),
    Question(QuestionType.MULTIPLE, "Chợ cần thêm gì?", ("Đèn", "Mái che", "Nhà vệ sinh")),
    Question(QuestionType.YESNO, "Đồng ý dự thảo?", ("Đồng ý", "Không đồng ý", "Không ý kiến")),
    Question(QuestionType.COMMENT, "Góp ý khác?"),
)


async def compose_question(hoa: SimUser, text: str, kind: str, options: str | None) -> None:
    await hoa.send(text)
    await hoa.press(kind, await hoa.wait_for(contains="trả lời thế nào"))
    if options is not None:
        await hoa.wait_for(contains="mỗi dòng một phương án")
        await hoa.send(options)


async def test_an_officer_composes_several_questions_for_two_villages_and_sees_the_reach(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    await seed_citizens(settings, clock, sandbox, [3003], village="tan-hung")
    await seed_citizens(settings, clock, sandbox, [3004], village="viet-tien")
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    await hoa.send("/consult")
    await hoa.press("➕ Lấy ý kiến mới", await hoa.wait_for(contains="Lấy ý kiến"))
    await hoa.wait_for(contains="Gửi tiêu đề")
    await hoa.send("Quy hoạch chợ")
    await hoa.wait_for(contains="Gửi tóm tắt")
    await hoa.send("Dự thảo quy hoạch chợ xã.")
    await hoa.wait_for(contains="Gửi câu hỏi")
    await compose_question(hoa, "Đặt chợ ở đâu?", "Một lựa chọn", "Cạnh UBND xã\nGần trường")
    await hoa.press("➕ Thêm câu hỏi", await hoa.wait_for(contains="Các câu hỏi đã có"))
    await hoa.wait_for(contains="Gửi câu hỏi tiếp theo")
    await compose_question(hoa, "Chợ cần thêm gì?", "Nhiều lựa chọn", "Đèn\nMái che\nNhà vệ sinh")
    await hoa.press("➕ Thêm câu hỏi", await hoa.wait_for(contains="2. Chợ cần thêm gì?"))
    await compose_question(hoa, "Đồng ý dự thảo?", "Đồng ý / không đồng ý / không ý kiến", None)
    await hoa.press("➕ Thêm câu hỏi", await hoa.wait_for(contains="3. Đồng ý dự thảo?"))
    await compose_question(hoa, "Góp ý khác?", "Ý kiến tự do", None)
    listed = await hoa.wait_for(contains="4. Góp ý khác?")
    await hoa.press("Tiếp tục ▶", listed)  # several questions: an opinion, no kind asked
    audience = await hoa.wait_for(contains="Hỏi ý kiến ai")
    assert has_button("🏷 Cải cách hành chính")(audience)  # topics may be chosen too
    await hoa.press("Thôn Đồng Tâm", audience)
    await hoa.press("Thôn Tân Hưng", await hoa.wait_for(has_button("✅ Thôn Đồng Tâm")))
    await hoa.press("Tiếp tục ▶", await hoa.wait_for(has_button("✅ Thôn Tân Hưng")))
    await hoa.press("Có, hiện cùng kết quả", await hoa.wait_for(contains="công khai"))
    await hoa.wait_for(contains="Khi nào bắt đầu")
    await hoa.send("ngay")
    await hoa.wait_for(contains="Khi nào kết thúc")
    await hoa.send("5/3/2026 17:00")
    summary = await hoa.wait_for(contains="Số người nhận: 3")  # two villages: 2 + 1
    await hoa.press("✅ Mở lấy ý kiến", summary)
    await hoa.wait_for(contains="Đã mở, số #1")
    await drained(bot)

    consultation = await bot.services.consultations.get(1)
    assert consultation.kind is Kind.OPINION and consultation.public_comments
    assert consultation.questions == (
        Question(QuestionType.SINGLE, "Đặt chợ ở đâu?", ("Cạnh UBND xã", "Gần trường")),
        *MARKET[1:],
    )
    assert consultation.audience == Audience("village", ("dong-tam", "tan-hung"))
    for user_id in (3001, 3002, 3003):
        invitation = await sandbox.user(user_id).wait_for(contains="Quy hoạch chợ")
        assert "4. Góp ý khác?" in invitation.text
        assert [a.question for a in actions_in(invitation, ConsultStep)] == [0]
    outsider = sandbox.user(3004)
    await outsider.send("/consult")  # the marker: the invitation would have come before it
    await outsider.wait_for(contains="Hiện chưa có")
    assert not any("Quy hoạch chợ" in m.content for m in outsider.messages)


async def test_a_topic_audience_reaches_its_followers_and_the_preview_counts_them(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002], topics=lambda _id: ("reform",))
    await seed_citizens(settings, clock, sandbox, [3003], village="tan-hung", topics=lambda _i: ("reform",))  # fmt: skip
    await seed_citizens(settings, clock, sandbox, [3004], topics=lambda _id: ("policy",))
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    await hoa.send("/consult")
    await hoa.press("➕ Lấy ý kiến mới", await hoa.wait_for(contains="Lấy ý kiến"))
    for prompt, text in [("Gửi tiêu đề", "Một cửa"), ("Gửi tóm tắt", "Thủ tục một cửa.")]:
        await hoa.wait_for(contains=prompt)
        await hoa.send(text)
    await hoa.wait_for(contains="Gửi câu hỏi")
    await compose_question(hoa, "Bà con hài lòng không?", "Một lựa chọn", "Có\nKhông")
    await hoa.press("Tiếp tục ▶", await hoa.wait_for(contains="Các câu hỏi đã có"))
    await hoa.press("Biểu quyết", await hoa.wait_for(contains="Hình thức lấy ý kiến"))
    await hoa.press("🏷 Cải cách hành chính", await hoa.wait_for(contains="Hỏi ý kiến ai"))
    await hoa.press("Tiếp tục ▶", await hoa.wait_for(has_button("✅ 🏷 Cải cách hành chính")))
    await hoa.wait_for(contains="Khi nào bắt đầu")  # a vote: no question about comments
    await hoa.send("ngay")
    await hoa.wait_for(contains="Khi nào kết thúc")
    await hoa.send("5/3/2026 17:00")
    await hoa.press("✅ Mở lấy ý kiến", await hoa.wait_for(contains="Số người nhận: 3"))
    await hoa.wait_for(contains="Đã mở, số #1")
    await drained(bot)
    for user_id in (3001, 3002, 3003):
        await sandbox.user(user_id).wait_for(contains="Bà con hài lòng không?")
    other = sandbox.user(3004)
    await other.send("/consult")
    await other.wait_for(contains="Hiện chưa có")
    assert not any("Một cửa" in m.content for m in other.messages)


async def open_market(
    bot: RunningBot, clock: ManualClock, questions: tuple[Question, ...] = MARKET
) -> int:
    proposal = Proposal(
        title="Quy hoạch chợ",
        question="",
        options=(),
        questions=questions,
        kind=Kind.OPINION,
        public_comments=True,
        closes_at=clock.now() + timedelta(days=3),
        audience=Audience("village", ("dong-tam",)),
    )
    consultation = await bot.services.consultations.open(AUTHOR, None, proposal)
    await drained(bot)
    return consultation.id


async def test_citizens_answer_the_questions_in_turn_and_change_them_until_closing(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002])
    bot = await start_bot()
    lan, minh = sandbox.user(3001), sandbox.user(3002)
    cid = await open_market(bot, clock)

    await lan.press("🗳 Trả lời các câu hỏi", await lan.wait_for(contains="Quy hoạch chợ"))
    first = await lan.wait_for(contains="Câu hỏi 1/4")
    saved = await lan.press("Gần trường học", first)
    assert "Đã lưu" in (saved.text or "")
    second = await lan.wait_for(contains="Câu hỏi 2/4")  # the same message, edited
    assert second.message_id == first.message_id
    await lan.press("☐ Đèn", second)
    await lan.press("☐ Nhà vệ sinh", await lan.wait_for(has_button("☑ Đèn")))
    await lan.press("Tiếp ▶", await lan.wait_for(has_button("☑ Nhà vệ sinh")))
    await lan.press("Đồng ý", await lan.wait_for(contains="Câu hỏi 3/4"))
    await lan.press("✍ Viết câu trả lời", await lan.wait_for(contains="Câu hỏi 4/4"))
    await lan.wait_for(contains="Viết góp ý")
    await lan.send("Nên có chỗ gửi xe")
    stored = await lan.wait_for(contains="góp ý đã được ghi nhận")
    await lan.press("Tiếp ▶", stored)
    done = await lan.wait_for(contains="Câu trả lời của bạn")
    assert "Đặt chợ ở đâu?: Gần trường học" in done.text
    assert "Đèn, Nhà vệ sinh" in done.text and "Nên có chỗ gửi xe" in done.text

    await lan.press("✏️ Sửa câu trả lời", done)  # changed until closing
    await lan.press("Cạnh UBND xã", await lan.wait_for(contains="Câu hỏi 1/4"))
    await minh.press("🗳 Trả lời các câu hỏi", await minh.wait_for(contains="Quy hoạch chợ"))
    await minh.press("Gần trường học", await minh.wait_for(contains="Câu hỏi 1/4"))

    _c, tallies = await bot.services.consultations.all_results(cid)
    assert [t.by_option() for t in tallies] == [(1, 1), (1, 0, 1), (1, 0, 0), ()]
    assert [t.respondents for t in tallies] == [2, 1, 1, 1]
    for question in range(4):
        replayed = await bot.services.consultations.repo.replayed(cid, question)
        assert replayed == await bot.services.consultations.repo.live(cid, question)

    clock.advance(timedelta(days=3))
    assert await bot.services.consultations.sweep() == [cid]
    late = await lan.press("☑ Đèn", await lan.wait_for(contains="Câu hỏi 2/4"))
    assert late.show_alert and "đã kết thúc" in late.text
    await drained(bot)
    result = await lan.wait_for(contains="📊 Kết quả")
    for line in ("1. Đặt chợ ở đâu?", "2. Chợ cần thêm gì?", "• Nhà vệ sinh: 1 (100%)",
                 "3. Đồng ý dự thảo?", "4. Góp ý khác?", "Số ý kiến viết: 1"):  # fmt: skip
        assert line in result.text, line
    assert "Nên có chỗ gửi xe" not in result.text  # not moderated: not public


async def test_officers_answer_a_comment_publicly_hide_one_and_turn_one_into_a_case(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001, 3002, 3003])
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.CULTURE)
    bot = await start_bot()
    lan, minh, an = sandbox.user(3001), sandbox.user(3002), sandbox.user(3003)
    hoa = sandbox.user(OFFICER, first_name="Hoa")
    await open_market(bot, clock, MARKET[3:])
    comments = {
        lan: "Gọi tôi 0912 345 678 để bàn thêm về chỗ gửi xe",
        minh: "Ý kiến không phù hợp",
        an: "Nhà tôi bị lấn đất khi làm chợ cũ",
    }
    for user, text in comments.items():
        await user.press("🗳 Trả lời các câu hỏi", await user.wait_for(contains="Quy hoạch chợ"))
        await user.press("✍ Viết câu trả lời", await user.wait_for(contains="Câu hỏi 1/1"))
        await user.wait_for(contains="Viết góp ý")
        await user.send(text)
        stored = await user.wait_for(contains="góp ý đã được ghi nhận")
        if user is lan:
            signed = await lan.press("✍ Ký tên tôi", stored)
            assert "đã được ký tên" in (signed.text or "")

    await hoa.send("/consult")
    await hoa.press("#1 Quy hoạch chợ", await hoa.wait_for(contains="Lấy ý kiến"))
    tally = await hoa.wait_for(contains="Góp ý (3)")
    assert "Dân 3002" not in tally.text and "Dân 3003" not in tally.text  # not signed
    assert "Dân 3001" in tally.text  # lan signed
    await hoa.press("💬 Góp ý", tally)
    listing = await hoa.wait_for(contains="Góp ý về Quy hoạch chợ")
    await hoa.press("1. " + comments[lan][:57], listing)
    await hoa.press("↩️ Trả lời công khai", await hoa.wait_for(contains="0912 345 678"))
    await hoa.wait_for(contains="Viết câu trả lời công khai")
    await hoa.send("Xã sẽ bố trí bãi gửi xe phía sau chợ.")
    answered = await hoa.wait_for(contains="Đã lưu: câu trả lời sẽ hiện cùng kết quả")
    await hoa.press("◀ Quay lại", answered)
    listing = await hoa.wait_for(contains="✅ Gọi tôi")
    await hoa.press("2. " + comments[minh], listing)  # the list becomes the comment
    hidden = await hoa.press("🙈 Ẩn", listing)
    assert "Đã ẩn" in (hidden.text or "")
    await hoa.press("◀ Quay lại", listing)
    await hoa.wait_for(contains="🙈 Ý kiến không phù hợp")
    await hoa.press("3. " + comments[an], listing)
    made = await hoa.press("📂 Chuyển thành hồ sơ", listing)
    assert "Đã mở hồ sơ" in (made.text or "")
    await drained(bot)
    told = await an.wait_for(contains="đã được chuyển thành hồ sơ")
    code = told.text.split("hồ sơ ")[1].split(";")[0]
    case = await bot.services.cases.repo.by_code(code)
    assert case is not None and "Nhà tôi bị lấn đất" in case.description

    citizen = sandbox.user(3002)
    forged = await citizen.press_data(await citizen.wait_for(contains="Câu hỏi"), "cs:cm:1:h")
    assert forged is not None and forged.show_alert and "chỉ dành cho cán bộ" in forged.text

    clock.advance(timedelta(days=3))
    await bot.services.consultations.sweep()
    await drained(bot)
    result = await lan.wait_for(contains="📊 Kết quả")
    assert "Ý kiến góp ý và trả lời của xã" in result.text
    assert "Xã sẽ bố trí bãi gửi xe" in result.text and "(Dân 3001)" in result.text
    assert "0912 345 678" not in result.text  # masked like public answers
    assert "Ý kiến không phù hợp" not in result.text and "lấn đất" not in result.text
    assert "Dân 3002" not in result.text and "Dân 3003" not in result.text


async def test_an_officer_follows_each_question_and_enters_paper_ballots_for_one_of_them(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot: StartBot
) -> None:
    await seed_citizens(settings, clock, sandbox, [3001])
    await add_officer(settings, clock, OFFICER, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    lan, hoa = sandbox.user(3001), sandbox.user(OFFICER, first_name="Hoa")
    cid = await open_market(bot, clock)
    await lan.press("🗳 Trả lời các câu hỏi", await lan.wait_for(contains="Quy hoạch chợ"))
    await lan.press("Cạnh UBND xã", await lan.wait_for(contains="Câu hỏi 1/4"))
    await lan.press("Tiếp ▶", await lan.wait_for(contains="Câu hỏi 2/4"))
    await lan.press("Không đồng ý", await lan.wait_for(contains="Câu hỏi 3/4"))

    await hoa.send("/consult")
    await hoa.press("#1 Quy hoạch chợ", await hoa.wait_for(contains="Lấy ý kiến"))
    tally = await hoa.wait_for(contains="❓ 3. Đồng ý dự thảo?")
    assert "❓ 1. Đặt chợ ở đâu?" in tally.text and "• Không đồng ý: 1 (100%)" in tally.text
    await hoa.press("📝 Phiếu giấy", tally)
    prompt = await hoa.wait_for(contains="số thứ tự câu hỏi")
    assert "3. Đồng ý dự thảo?" in prompt.text and "2. Chợ cần thêm gì?" not in prompt.text
    await hoa.send("2 dong-tam 1 2 3")  # a multiple choice has no paper totals
    await hoa.wait_for(contains="Ghi số thứ tự câu hỏi")
    await hoa.send("3 dong-tam 40 12 3 ; họp thôn tối 3/3")
    await hoa.wait_for(contains="trong đó bằng phiếu giấy: 55")
    _c, tallies = await bot.services.consultations.all_results(cid)
    assert [t.paper_total for t in tallies] == [0, 0, 55, 0]
    assert tallies[2].by_option() == (40, 13, 3)
