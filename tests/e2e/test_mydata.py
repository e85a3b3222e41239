"""/mydata over HTTP against the sandbox: every feature's records listed, erased, figures kept."""

from bot.people.officers import Role
from sandbox import SandboxServer
from sandbox.harness import SimUser
from scheduler.privacy import EXPIRY_JOB
from tests.e2e.cases_steps import CODE_RE, reply_to, to_review
from tests.e2e.conftest import StartBot, add_officer, drained

QUESTION = "lam giay khai sinh cho con can giay to gi"


async def subscribe(lan: SimUser) -> None:
    await lan.send("/start")
    await lan.next_message()
    await lan.press("Tiếng Việt")
    await lan.press("Thôn Tân Hưng", await lan.wait_for(contains="thôn nào"))
    await lan.wait_for(contains="chuyên mục nào")
    await lan.press("Dân vận khéo")
    await lan.wait_for(lambda m: "✅ Dân vận khéo" in str(m.buttons))
    await lan.press("Xong")
    await lan.wait_for(contains="Bạn đã đăng ký nhận tin")


async def test_a_citizen_sees_everything_erases_it_and_the_report_still_counts(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    bot = await start_bot()
    assert bot.app.job_queue is not None and bot.app.job_queue.get_jobs_by_name(EXPIRY_JOB)
    hoa, lan = sandbox.user(2001), sandbox.user(1001, first_name="Lan", last_name="Phạm")
    await subscribe(lan)
    await lan.press("✅ Đã rõ, cảm ơn", await reply_to_message(lan, QUESTION))
    await to_review(lan)
    await lan.press("✅ Gửi")
    code = CODE_RE.findall((await lan.wait_for(contains="Mã tra cứu")).text)[0]
    await hoa.press("Thụ lý", await hoa.wait_for(contains=code))
    await lan.wait_for(contains="thụ lý")
    await drained(bot)

    shown = await reply_to(lan, lan.send("/mydata"))
    for held in ("Lan Phạm", "Thôn Tân Hưng", "Dân vận khéo", "Nguyễn Thị Lan 0987654321"):
        assert held in shown
    assert code in shown and f"«{QUESTION}»" in shown
    assert "1 thông báo, trong đó 1 thông báo còn lưu nội dung" in shown
    assert "Ai được xem" in shown and "xoá 30 ngày sau khi gửi" in shown

    await lan.press("Xoá dữ liệu cá nhân của tôi")
    await lan.wait_for(contains="Nội dung hồ sơ vẫn được lưu")
    await lan.press("Có, xoá")
    done = await lan.wait_for(contains="Xong. Đã xoá")
    assert "trong 1 hồ sơ" in done.text and "1 câu hỏi" in done.text
    assert " 0 " not in done.text  # only what there was is listed

    after = await reply_to(lan, lan.send("/mydata"))
    for gone in ("Lan Phạm", "Nguyễn Thị Lan", "0987654321", "khai sinh"):
        assert gone not in after
    assert (
        "Câu hỏi bạn đã hỏi: chưa có." in after and "trong đó 0 thông báo còn lưu nội dung" in after
    )
    stored = await bot.services.db.fetchall("SELECT message FROM outbox WHERE message IS NOT NULL")
    assert not any("0987654321" in row[0] for row in stored)

    report = await bot.services.reports.collect(bot.services.reports.parse("2026-03"))
    assert report.faq is not None and report.faq.answered_at_once == 1
    assert report.cases is not None and sum(c.value for c in report.cases.by_kind) == 1
    assert report.cases.accepted == 1


async def reply_to_message(user: SimUser, text: str):
    """The bot's answer to a message the user types."""
    user.skip_pending()
    await user.send(text)
    return await user.next_message()


async def test_erasing_when_nothing_is_held_says_so(
    sandbox: SandboxServer, start_bot: StartBot
) -> None:
    await start_bot()
    lan = sandbox.user(1001, first_name="Lan")
    await subscribe(lan)
    await lan.send("/mydata")
    await lan.press("Xoá dữ liệu cá nhân của tôi", await lan.wait_for(contains="Ai được xem"))
    await lan.press("Có, xoá", await lan.wait_for(contains="Nội dung hồ sơ vẫn được lưu"))
    done = await lan.wait_for(contains="Xong.")
    assert "Không hồ sơ, câu hỏi hay thông báo nào" in done.text and "0" not in done.text
