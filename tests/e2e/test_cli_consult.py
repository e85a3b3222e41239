"""`python -m bot consult open|results|close`: a consultation run from the command line."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.consultations.service import ConsultationService
from bot.core.clock import ManualClock, SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.outbox import Outbox, OutboxNotifier
from bot.outreach.broadcasts import Broadcasts
from bot.people.officers import OfficerRepository
from sandbox import SandboxServer
from tests.e2e.outreach import seed_citizens
from tests.e2e.test_cli_broadcast import cli


async def test_open_answer_results_and_close_from_the_command_line(
    settings: Settings, clock: ManualClock, sandbox: SandboxServer
) -> None:
    await seed_citizens(settings, clock, sandbox, [501, 502, 503])
    await seed_citizens(settings, clock, sandbox, [504], village="tan-hung")
    closes = (SystemClock().now().astimezone(settings.timezone) + timedelta(days=10)).strftime(
        "%d/%m/%Y 17:00"
    )
    opened = cli(
        settings, "consult", "open", "--title", "Đường thôn", "--question", "Làm đường?",
        "--option", "Đồng ý", "--option", "Không", "--audience", "village:dong-tam",
        "--closes", closes,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    consultation_id = int(opened.stdout.strip())
    assert "3 may answer" in opened.stderr

    db = await Database.open(settings.database_path)
    try:
        invited = await db.fetchall(
            "SELECT o.external_id FROM outbox o JOIN consultations k"
            " ON k.broadcast_id = o.broadcast_id WHERE k.id = ? ORDER BY o.external_id",
            (consultation_id,),
        )
        assert [r[0] for r in invited] == ["501", "502", "503"]  # exactly the audience
        rows = await db.fetchall(
            "SELECT id FROM citizens WHERE external_id IN ('501', '502') ORDER BY external_id"
        )
        a, b = (r[0] for r in rows)
        outbox = Outbox(db, SystemClock())
        svc = ConsultationService(
            db, SystemClock(), settings, Broadcasts(db, SystemClock(), outbox), outbox,
            OfficerRepository(db, SystemClock()), OutboxNotifier(outbox),
        )  # fmt: skip
        await svc.answer(a, consultation_id, 0)
        await svc.answer(b, consultation_id, 1)
        await svc.answer(b, consultation_id, 0)
    finally:
        await db.close()

    results = cli(settings, "consult", "results", str(consultation_id), "--json")
    assert results.returncode == 0, results.stderr
    figures = json.loads(results.stdout)
    assert figures["counts"] == [2, 0] and figures["eligible"] == 3
    assert figures["by_village"] == {"dong-tam": [2, 0]} and figures["decided"] == "Đồng ý"
    text = cli(settings, "consult", "results", str(consultation_id))
    assert "Đồng ý: 2" in text.stdout and "answered 2 of 3" in text.stdout

    closed = cli(settings, "consult", "close", str(consultation_id))
    assert closed.returncode == 0 and f"Closed #{consultation_id}: 2 answered" in closed.stdout
    again = cli(settings, "consult", "close", str(consultation_id))
    assert again.returncode == 2 and "Only an open consultation" in again.stderr


def test_bad_input_is_refused_with_a_reason(settings: Settings) -> None:
    one = cli(settings, "consult", "open", "--title", "T", "--question", "Q", "--option", "A",
              "--closes", "31/12/2099 17:00")  # fmt: skip
    assert one.returncode == 2 and "between 2 and 8 options" in one.stderr
    past = cli(settings, "consult", "open", "--title", "T", "--question", "Q", "--option", "A",
               "--option", "B", "--closes", "1/1/2020 8:00")  # fmt: skip
    assert past.returncode == 2 and "date-time" in past.stderr
    village = cli(settings, "consult", "open", "--title", "T", "--question", "Q", "--option", "A",
                  "--option", "B", "--closes", "31/12/2099 8:00", "--audience", "village:nowhere")  # fmt: skip
    assert village.returncode == 2 and "unknown village 'nowhere'" in village.stderr
    missing = cli(settings, "consult", "results", "999")
    assert missing.returncode == 2 and "no such consultation" in missing.stderr


async def test_several_questions_from_the_command_line_with_results_per_question(
    settings: Settings, clock: ManualClock, sandbox: SandboxServer
) -> None:
    await seed_citizens(settings, clock, sandbox, [501, 502])
    closes = (SystemClock().now().astimezone(settings.timezone) + timedelta(days=10)).strftime(
        "%d/%m/%Y 17:00"
    )
    opened = cli(
        settings, "consult", "open", "--kind", "opinion", "--title", "Chợ xã", "--public-comments",
        "--question", "Đặt chợ ở đâu?", "--option", "Cạnh UBND", "--option", "Gần trường",
        "--question", "Chợ cần gì?", "--type", "multiple", "--option", "Đèn",
        "--option", "Mái che", "--option", "Nhà vệ sinh",
        "--question", "Đồng ý dự thảo?", "--type", "yesno",
        "--question", "Góp ý khác?", "--type", "comment", "--closes", closes,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    cid = int(opened.stdout.strip())
    db = await Database.open(settings.database_path)
    try:
        a, b = (r[0] for r in await db.fetchall("SELECT id FROM citizens ORDER BY external_id"))
        outbox = Outbox(db, SystemClock())
        svc = ConsultationService(
            db, SystemClock(), settings, Broadcasts(db, SystemClock(), outbox), outbox,
            OfficerRepository(db, SystemClock()), OutboxNotifier(outbox),
        )  # fmt: skip
        consultation = await svc.get(cid)
        assert consultation.public_comments and len(consultation.questions) == 4
        for citizen, option, question in [(a, 1, 0), (a, 0, 1), (a, 2, 1), (a, 0, 2), (b, 1, 0),
                                           (b, 1, 2)]:  # fmt: skip
            await svc.answer(citizen, cid, option, question)
        await svc.comment(a, cid, "Nên có bãi gửi xe", 3)
    finally:
        await db.close()

    results = cli(settings, "consult", "results", str(cid), "--json")
    assert results.returncode == 0, results.stderr
    figures = json.loads(results.stdout)
    assert figures["counts"] == [0, 2]  # the first question at the top, as before
    per_question = [(q["type"], q["counts"], q["answered"]) for q in figures["questions"]]
    assert per_question == [
        ("single", [0, 2], 2), ("multiple", [1, 0, 1], 1), ("yesno", [1, 1, 0], 2),
        ("comment", [], 1),
    ]  # fmt: skip
    assert figures["questions"][2]["options"] == ["Đồng ý", "Không đồng ý", "Không ý kiến"]
    assert figures["questions"][3]["comments"] == 1
    text = cli(settings, "consult", "results", str(cid))
    assert "2. Chợ cần gì? [multiple]" in text.stdout and "  Nhà vệ sinh: 1" in text.stdout

    stray = cli(settings, "consult", "open", "--title", "T", "--option", "A", "--question", "Q",
                "--option", "B", "--closes", closes)  # fmt: skip
    assert stray.returncode == 2 and "at least one question" in stray.stderr
