"""The periodic report and the public figures, over HTTP against the sandbox."""

import io
from datetime import UTC, datetime

import docx
from docx.oxml.ns import qn

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.people.citizens import CitizenRepository
from bot.people.officers import Role
from bot.people.subscriptions import Subscriptions
from sandbox import SandboxServer
from sandbox.views import ChatMessage
from tests.e2e.conftest import StartBot, add_officer
from tests.e2e.test_officers_and_help import run_cli

PNG = b"\x89PNG\r\n\x1a\n"
# Citizens whose names and phones must never appear in any output.
SEEDED = {
    5550101: ("Nguyễn Thị Bích Ngọc 0987 654 321", "tan-hung"),
    5550102: ("Trần Văn Khải 0912 345 678", "dong-tam"),
    5550103: ("Lê Hoàng Oanh 0901 222 333", None),
}


async def seed(settings: Settings, clock: ManualClock) -> None:
    """Three citizens subscribe in July 2026; one stops in August."""
    db = await Database.open(settings.database_path)
    try:
        subscriptions = Subscriptions(CitizenRepository(db, clock), settings)
        clock.set(datetime(2026, 7, 10, 3, 0, tzinfo=UTC))
        for user_id, (name, village) in SEEDED.items():
            await subscriptions.start(Recipient.telegram(user_id), name, "vi")
            if village:
                await subscriptions.choose_village(Recipient.telegram(user_id), village)
        clock.set(datetime(2026, 8, 3, 3, 0, tzinfo=UTC))
        await subscriptions.unsubscribe(Recipient.telegram(5550103))
    finally:
        await db.close()
    clock.set(datetime(2026, 10, 2, 2, 0, tzinfo=UTC))


def file_bytes(sandbox: SandboxServer, message: ChatMessage) -> bytes:
    data = message.data
    file_id = data["document"]["file_id"] if "document" in data else data["photo"][-1]["file_id"]
    stored = sandbox.state.files.get(file_id)
    assert stored is not None and stored.data is not None
    return stored.data


def assert_no_personal_data(text: str) -> None:
    for user_id, (name, _village) in SEEDED.items():
        assert str(user_id) not in text
        assert name.split(" 0")[0] not in text and name.split(" ", 4)[-1] not in text
        for digits in ("0987", "654 321", "0912", "345 678", "0901", "222 333"):
            assert digits not in text


async def test_office_officer_gets_the_word_report_and_the_chart(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await seed(settings, clock)
    await add_officer(settings, clock, 4001, "Chị Thu", Role.OFFICE)
    bot = await start_bot()
    thu = sandbox.user(4001, first_name="Thu")
    await thu.send("/report 2026-Q3")
    progress = await thu.next_message()
    assert "Đang tổng hợp báo cáo quý III năm 2026" in progress.text
    document = await thu.wait_for(lambda m: m.kind == "document" and ".docx" in str(m.data))
    assert document.data["document"]["file_name"] == "bao-cao-2026-Q3.docx"
    assert "Dự thảo báo cáo quý III năm 2026" in document.caption
    chart = await thu.wait_for(lambda m: m.kind == "photo")
    assert file_bytes(sandbox, chart).startswith(PNG)
    table = await thu.wait_for(lambda m: m.kind == "document" and ".csv" in str(m.data))
    await thu.wait_for(contains="Đã xong dự thảo báo cáo quý III năm 2026")

    parsed = docx.Document(io.BytesIO(file_bytes(sandbox, document)))
    text = "\n".join(t.text or "" for t in parsed.element.body.iter(qn("w:t")))
    assert "UBND XÃ TÂN VIỆT" in text and "Độc lập - Tự do - Hạnh phúc" in text
    rows = {tuple(c.text for c in r.cells) for t in parsed.tables for r in t.rows}
    assert {("Đang nhận tin cuối kỳ", "2"), ("Đăng ký mới", "3"), ("Ngừng nhận tin", "1")} <= rows
    # No case was received: the subscribers' chart, and the cases' charts named, not drawn.
    assert len(parsed.inline_shapes) == 1
    assert "trong kỳ không ghi nhận số liệu nào" in text
    assert_no_personal_data(text)
    csv_text = file_bytes(sandbox, table).decode("utf-8-sig")
    assert "subscribers,new,,Đăng ký mới,3" in csv_text
    assert_no_personal_data(csv_text)
    # The audit entry is written just after the last message: once a later
    # command is answered (updates are handled in order), it is there.
    await thu.send("/help")
    await thu.next_message(contains="/start")
    entries = await bot.services.audit.recent()
    assert [(e.action, e.target, e.outcome) for e in entries] == [
        ("command:report", "2026-Q3", "ok")
    ]


async def test_a_citizen_cannot_have_the_report(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await seed(settings, clock)
    bot = await start_bot()
    ngoc = sandbox.user(5550101, first_name="Ngọc")
    await ngoc.send("/report 2026-Q3")
    assert "chỉ dành cho cán bộ" in (await ngoc.next_message()).text
    # Updates are handled in order: once /help is answered, /report is done.
    await ngoc.send("/help")
    await ngoc.next_message(contains="/start")
    assert [m.kind for m in ngoc.messages] == ["text", "text"]
    entries = await bot.services.audit.recent()
    assert (entries[0].action, entries[0].outcome) == ("command:report", "denied")


async def test_wrong_and_future_periods_are_explained(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await seed(settings, clock)
    await add_officer(settings, clock, 4002, "Ông Nam", Role.CHAIRMAN)
    await start_bot()
    nam = sandbox.user(4002, first_name="Nam")
    await nam.send("/report hôm qua")
    reply = await nam.next_message()
    assert "chưa hiểu kỳ báo cáo “hôm qua”" in reply.text and "quý 3/2026" in reply.text
    await nam.send("/report quý 1/2027")
    await nam.wait_for(contains="Kỳ báo cáo (quý I năm 2027) chưa bắt đầu")


async def test_a_quarter_typed_without_a_year_is_the_latest_one(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await seed(settings, clock)
    clock.set(datetime(2027, 1, 5, 2, 0, tzinfo=UTC))  # early January: Q4 has just ended
    await add_officer(settings, clock, 4003, "Chị Thu", Role.OFFICE)
    await start_bot()
    thu = sandbox.user(4003, first_name="Thu")
    await thu.send("/report quy 4")
    await thu.wait_for(contains="Đang tổng hợp báo cáo quý IV năm 2026")
    await thu.wait_for(contains="Đã xong dự thảo báo cáo quý IV năm 2026", timeout=60)


async def test_a_citizen_sees_the_public_figures_and_a_chart(
    sandbox: SandboxServer, settings, clock, start_bot: StartBot
) -> None:
    await seed(settings, clock)
    await start_bot()
    khai = sandbox.user(5550102, first_name="Khải")
    await khai.send("/stats")
    figures = await khai.next_message()
    assert "Công khai số liệu của UBND xã Tân Việt" in figures.text
    assert "Tháng 10 năm 2026:" in figures.text and "Năm 2026:" in figures.text
    assert "Câu hỏi, phản ánh, kiến nghị đã tiếp nhận: 0" in figures.text
    assert "Số công dân đang nhận tin của xã: 2" in figures.text
    chart = await khai.next_message()
    assert chart.kind == "photo" and file_bytes(sandbox, chart).startswith(PNG)
    assert "theo" in chart.caption
    assert_no_personal_data("\n".join(sandbox.state.texts_sent_to(5550102)))
    assert "stats" in {c["command"] for c in khai.commands}


def test_the_report_from_the_command_line(settings, tmp_path) -> None:
    out, table, charts = tmp_path / "q3.docx", tmp_path / "q3.csv", tmp_path / "charts"
    done = run_cli(
        settings, "report", "--period", "2025-Q3", "--out", str(out), "--csv", str(table),
        "--charts", str(charts),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Report for 2025-Q3 (quý III năm 2025)" in done.stdout
    parsed = docx.Document(str(out))
    assert any("BÁO CÁO" in p.text for p in parsed.paragraphs)
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")
    # Nothing was recorded: the charts are named as left out, never drawn empty.
    assert not charts.exists()
    assert "no chart: Questions, feedback and petitions received each month" in done.stdout
    wrong = run_cli(settings, "report", "--period", "quý 5/2025", "--out", str(out))
    assert wrong.returncode == 2 and "cannot read 'quý 5/2025' as a period" in wrong.stderr
