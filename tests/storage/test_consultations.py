"""Consultations on a real database: one answer per voter, events that replay to the tally."""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.consultations import rules
from bot.consultations.model import Kind, Question, QuestionType, State
from bot.consultations.service import ConsultationService, Proposal
from bot.core.clock import ManualClock, to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.paths import MIGRATIONS_DIR
from bot.messaging.channels import Recipient
from bot.messaging.outbox import Outbox, OutboxNotifier
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository, Role

AUTHOR = Recipient("cli", "operator")


def service(db: Database, clock: ManualClock, settings: Settings) -> ConsultationService:
    outbox = Outbox(db, clock)
    officers = OfficerRepository(db, clock)
    return ConsultationService(
        db, clock, settings, Broadcasts(db, clock, outbox), outbox, officers, OutboxNotifier(outbox)
    )


async def citizens(
    db: Database, clock: ManualClock, count: int, village: str = "dong-tam"
) -> list[int]:
    repo = CitizenRepository(db, clock)
    start = await db.scalar("SELECT COUNT(*) FROM citizens")
    made = [
        await repo.create(Recipient.telegram(1000 + start + i), f"c{i}", "vi", village)
        for i in range(count)
    ]
    return [c.id for c in made]


def proposal(clock: ManualClock, **fields: object) -> Proposal:
    values: dict[str, object] = {
        "title": "Đường thôn",
        "question": "Có làm đường bê tông không?",
        "options": ("Đồng ý", "Không đồng ý", "Ý kiến khác"),
        "closes_at": clock.now() + timedelta(days=3),
        "audience": Audience("village", ("dong-tam",)),
    }
    values.update(fields)
    return Proposal(**values)  # type: ignore[arg-type]


async def assert_replay_matches(svc: ConsultationService, consultation_id: int) -> None:
    tally = await svc.repo.tally(consultation_id)
    live = {
        (village, option): count
        for village, counts in tally.online.items()
        for option, count in enumerate(counts)
        if count
    }
    assert await svc.repo.replayed(consultation_id) == live


async def test_five_hundred_voters_changing_their_minds_at_once_keep_one_answer_each(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    ids = await citizens(db, clock, 250) + await citizens(db, clock, 250, "tan-hung")
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock, audience=Audience()))
    chosen = random.Random(14)
    presses = [(cid, chosen.randrange(3)) for cid in ids for _ in range(3)]
    chosen.shuffle(presses)  # a voter's presses interleave with everyone else's
    last: dict[int, int] = {}
    for cid, option in presses:
        last[cid] = option  # gather starts the coroutines in order, so the last press wins

    await asyncio.gather(*(svc.answer(cid, consultation.id, opt) for cid, opt in presses))

    tally = await svc.repo.tally(consultation.id)
    assert tally.online_total == 500
    assert tally.by_option() == tuple(list(last.values()).count(i) for i in range(3))
    await assert_replay_matches(svc, consultation.id)
    rows = await db.scalar("SELECT COUNT(*) FROM consultation_answers")
    assert rows == 500


async def test_a_second_answer_replaces_the_first_and_both_are_events(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    [cid] = await citizens(db, clock, 1)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    assert await svc.answer(cid, consultation.id, 0) is None
    assert await svc.answer(cid, consultation.id, 2) == 0
    assert await svc.answer(cid, consultation.id, 2) == 2  # the same press again: no event
    events = await db.fetchall(
        "SELECT citizen_id, event, from_option, to_option, at FROM consultation_events ORDER BY id"
    )
    assert [tuple(e)[:4] for e in events] == [(cid, "answer", None, 0), (cid, "answer", 0, 2)]
    assert all(e["at"] for e in events)
    assert (await svc.repo.tally(consultation.id)).by_option() == (0, 0, 1)


async def test_the_schema_refuses_a_second_answer_row(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    [cid] = await citizens(db, clock, 1)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    await svc.answer(cid, consultation.id, 0)
    with pytest.raises(Exception, match="UNIQUE"):
        await db.execute(
            "INSERT INTO consultation_answers (consultation_id, voter, option, answered_at,"
            " updated_at) VALUES (?, ?, 1, 'x', 'x')",
            (consultation.id, f"c:{cid}"),
        )


@pytest.mark.parametrize("change", ["unsubscribed", "other village", "closed", "cancelled"])
async def test_only_subscribed_citizens_of_the_audience_answer_while_open(
    db: Database, clock: ManualClock, settings: Settings, change: str
) -> None:
    [cid] = await citizens(db, clock, 1)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    repo = CitizenRepository(db, clock)
    if change == "unsubscribed":
        await repo.update(cid, subscribed=False)
    elif change == "other village":
        await repo.update(cid, village_id="tan-hung")
    elif change == "closed":
        clock.advance(timedelta(days=3))
    else:
        await svc.cancel(consultation.id)
    with pytest.raises(rules.ConsultationError):
        await svc.answer(cid, consultation.id, 0)
    assert await db.scalar("SELECT COUNT(*) FROM consultation_answers") == 0


async def test_a_household_answers_once_through_its_representative(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    rep, other = await citizens(db, clock, 2)
    svc = service(db, clock, settings)
    household = await svc.repo.declare_household(rep, "Hộ ông Tâm", "xóm 3", "dong-tam")
    consultation = await svc.open(AUTHOR, None, proposal(clock, kind=Kind.HOUSEHOLD))
    assert consultation.eligible == 240  # Đồng Tâm's households, from commune.toml
    with pytest.raises(rules.ConsultationError) as refused:
        await svc.answer(other, consultation.id, 0)
    assert refused.value.text == rules.NOT_REPRESENTATIVE
    await svc.answer(rep, consultation.id, 0)
    await svc.answer(rep, consultation.id, 1)
    voters = await db.fetchall("SELECT voter, option FROM consultation_answers")
    assert [tuple(v) for v in voters] == [(f"h:{household.id}", 1)]


async def test_officers_read_counts_and_comments_never_who(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    a, b = await citizens(db, clock, 2)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock, kind=Kind.OPINION))
    with pytest.raises(rules.ConsultationError):
        await svc.comment(a, consultation.id, "chưa chọn")  # a comment goes with an answer
    await svc.answer(a, consultation.id, 0)
    await svc.comment(a, consultation.id, "Nên làm trước mùa mưa")
    await svc.answer(b, consultation.id, 1)
    await svc.repo.enter_paper(consultation.id, "dong-tam", [5, 2, 0], "họp thôn 12/3", None)
    tally = await svc.repo.tally(consultation.id)
    assert tally.by_option() == (6, 3, 0)
    assert tally.paper_total == 7 and tally.answered == 9
    assert [c.text for c in tally.comments] == ["Nên làm trước mùa mưa"]
    assert tally.comments[0].signer is None  # not signed: no name
    # A tally has no field that could name a voter.
    assert set(vars(tally)) == {
        "options", "eligible", "online", "paper", "comments", "anonymised", "respondents",
        "question",
    }  # fmt: skip
    assert set(vars(tally.comments[0])) == {
        "id", "question", "text", "moderation", "response", "signer", "case_id",
    }  # fmt: skip
    assert "c:" not in repr(tally)


async def test_closing_tells_participants_files_the_result_and_tells_officers(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    a, b, silent = await citizens(db, clock, 3)
    await OfficerRepository(db, clock).add(Recipient.telegram(9), "VH", {Role.CULTURE})
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    invitations = await db.scalar(
        "SELECT total FROM broadcasts WHERE id = ?", (consultation.broadcast_id,)
    )
    assert invitations == 3
    await svc.answer(a, consultation.id, 0)
    await svc.answer(b, consultation.id, 0)
    clock.advance(timedelta(days=3))
    assert await svc.sweep() == [consultation.id]
    assert await svc.sweep() == []  # told once
    told = await db.fetchall(
        "SELECT external_id FROM outbox WHERE broadcast_id IS NULL ORDER BY external_id"
    )
    ids = {r[0] for r in told}
    assert ids == {"1000", "1001", "9"}  # the two who answered, and the officer
    news = await db.fetchone("SELECT state, total FROM broadcasts WHERE author_channel = 'consultation'"
                             " AND id != ?", (consultation.broadcast_id,))  # fmt: skip
    assert tuple(news) == ("done", 0)  # in /news, sent to nobody
    closed = await svc.repo.get(consultation.id)
    assert closed is not None and closed.state is State.CLOSED
    with pytest.raises(rules.ConsultationError):
        await svc.answer(silent, consultation.id, 0)


async def test_one_reminder_to_those_who_have_not_answered_and_did_not_opt_out(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    answered, waiting, opted_out = await citizens(db, clock, 3)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    await svc.answer(answered, consultation.id, 1)
    await svc.repo.set_reminders(opted_out, False)
    before = await db.scalar("SELECT COUNT(*) FROM outbox")
    assert await svc.send_reminders() == 0  # three days before closing: not yet
    clock.advance(timedelta(days=2, hours=1))
    assert await svc.send_reminders() == 1
    assert await svc.send_reminders() == 0
    rows = await db.fetchall("SELECT external_id FROM outbox WHERE id > ? ", (before,))
    assert [r[0] for r in rows] == [str(1000 + waiting - 1)]


async def test_extension_tells_participants_and_cancellation_everyone(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    a, _b = await citizens(db, clock, 2)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    await svc.answer(a, consultation.id, 0)
    start = await db.scalar("SELECT MAX(id) FROM outbox")
    later = clock.now() + timedelta(days=5)
    assert (await svc.extend(consultation.id, later)).closes_at == later
    told = await db.scalar("SELECT COUNT(*) FROM outbox WHERE id > ?", (start,))
    assert told == 1
    await svc.cancel(consultation.id)
    told = await db.scalar("SELECT COUNT(*) FROM outbox WHERE id > ?", (start,))
    assert told == 3
    with pytest.raises(rules.ConsultationError):
        await svc.extend(consultation.id, later + timedelta(days=1))


async def test_erasure_keeps_a_closed_count_anonymised_and_withdraws_an_open_answer(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    a, b = await citizens(db, clock, 2)
    svc = service(db, clock, settings)
    first = await svc.open(AUTHOR, None, proposal(clock, closes_at=clock.now() + timedelta(days=1)))
    second = await svc.open(AUTHOR, None, proposal(clock))
    for consultation in (first, second):
        await svc.answer(a, consultation.id, 0)
        await svc.answer(b, consultation.id, 1)
    await svc.comment(a, first.id, "riêng tư")
    clock.advance(timedelta(days=1))
    await svc.sweep()
    assert [c.title for c, _, _ in await svc.repo.answers_of(a)] == ["Đường thôn"] * 2

    assert await svc.repo.erase_citizen(a) == 2

    assert await svc.repo.answers_of(a) == []
    closed = await svc.repo.tally(first.id)
    assert closed.by_option() == (1, 1, 0) and closed.anonymised == 1 and closed.comments == ()
    assert (await svc.repo.tally(second.id)).by_option() == (0, 1, 0)
    linked = await db.scalar("SELECT COUNT(*) FROM consultation_events WHERE citizen_id = ?", (a,))
    assert linked == 0
    for consultation in (first, second):
        await assert_replay_matches(svc, consultation.id)


async def test_events_cannot_be_deleted_or_rewritten(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    [cid] = await citizens(db, clock, 1)
    svc = service(db, clock, settings)
    consultation = await svc.open(AUTHOR, None, proposal(clock))
    await svc.answer(cid, consultation.id, 0)
    with pytest.raises(Exception, match="append-only"):
        await db.execute("DELETE FROM consultation_events")
    with pytest.raises(Exception, match="append-only"):
        await db.execute("UPDATE consultation_events SET to_option = 1")


async def test_the_periodic_report_counts_consultations_closed_and_their_turnout(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    from bot.consultations.figures import ConsultationFiguresSource
    from bot.reports.period import month_period

    a, b, _c, _d = await citizens(db, clock, 4)
    svc = service(db, clock, settings)
    poll = await svc.open(AUTHOR, None, proposal(clock, closes_at=clock.now() + timedelta(days=1)))
    still_open = await svc.open(AUTHOR, None, proposal(clock))
    await svc.answer(a, poll.id, 0)
    await svc.answer(b, poll.id, 1)
    await svc.answer(a, still_open.id, 1)
    await svc.repo.enter_paper(poll.id, "dong-tam", [3, 1, 0], "", None)
    clock.advance(timedelta(days=1))
    await svc.sweep()
    figures = await ConsultationFiguresSource(db).figures(month_period(2026, 3, settings.timezone))
    assert figures.held == 1  # the open one is counted when it closes
    # Four on the bot could answer, and four more voted on paper.
    assert (figures.answered, figures.eligible) == (6, 8)
    assert figures.turnout == 6 / 8
    assert [(c.key, c.value) for c in figures.by_kind] == [
        ("poll", 1),
        ("opinion", 0),
        ("household", 0),
    ]


SEVERAL = (
    Question(QuestionType.SINGLE, "Đặt chợ ở đâu?", ("Cạnh UBND", "Gần trường")),
    Question(QuestionType.MULTIPLE, "Chợ cần gì?", ("Đèn", "Mái che", "Nhà vệ sinh")),
    Question(QuestionType.YESNO, "Đồng ý dự thảo?", ("Đồng ý", "Không đồng ý", "Không ý kiến")),
    Question(QuestionType.COMMENT, "Góp ý khác?"),
)


async def assert_each_question_replays(svc: ConsultationService, consultation_id: int) -> None:
    for question in range(len(SEVERAL)):
        live = await svc.repo.live(consultation_id, question)
        assert await svc.repo.replayed(consultation_id, question) == live, question


async def test_several_questions_keep_one_answer_per_voter_each_under_concurrent_changes(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    ids = await citizens(db, clock, 150) + await citizens(db, clock, 150, "tan-hung")
    svc = service(db, clock, settings)
    consultation = await svc.open(
        AUTHOR, None, proposal(clock, kind=Kind.OPINION, questions=SEVERAL, audience=Audience())
    )
    rng = random.Random(16)
    presses = [(c, q, rng.randrange(len(SEVERAL[q].options))) for c in ids for q in (0, 1, 2)
               for _ in range(2)]  # fmt: skip
    rng.shuffle(presses)
    single: dict[int, int] = {}
    toggled: dict[int, int] = {}
    yesno: dict[int, int] = {}
    for citizen, question, option in presses:
        if question == 0:
            single[citizen] = option
        elif question == 1:
            toggled[citizen] = toggled.get(citizen, 0) ^ (1 << option)
        else:
            yesno[citizen] = option

    await asyncio.gather(
        *(svc.answer(c, consultation.id, o, q) for c, q, o in presses),
        *(svc.comment(c, consultation.id, f"ý kiến {c}", 3) for c in ids[:40]),
    )

    first, multiple, agree, free = await svc.repo.tallies(consultation.id)
    assert first.respondents == 300 and first.by_option() == tuple(
        list(single.values()).count(i) for i in range(2)
    )
    assert multiple.respondents == 300
    assert multiple.by_option() == tuple(
        sum(1 for mask in toggled.values() if mask >> i & 1) for i in range(3)
    )
    assert agree.by_option() == tuple(list(yesno.values()).count(i) for i in range(3))
    assert free.respondents == 40 and len(free.comments) == 40 and free.by_option() == ()
    await assert_each_question_replays(svc, consultation.id)
    per_question = await db.fetchall(
        "SELECT question, COUNT(*), COUNT(DISTINCT voter) FROM consultation_answers"
        " GROUP BY question ORDER BY question"
    )
    assert [tuple(r) for r in per_question] == [(0, 300, 300), (1, 300, 300), (2, 300, 300),
                                                (3, 40, 40)]  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):  # the key, not a check, keeps one per question
        await db.execute(
            "INSERT INTO consultation_answers (consultation_id, question, voter, option,"
            " answered_at, updated_at) SELECT consultation_id, question, voter, 0, answered_at,"
            " updated_at FROM consultation_answers LIMIT 1"
        )


async def test_changing_a_free_answer_is_an_event_and_erasure_withdraws_every_question(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    [a] = await citizens(db, clock, 1)
    svc = service(db, clock, settings)
    consultation = await svc.open(
        AUTHOR, None, proposal(clock, kind=Kind.OPINION, questions=SEVERAL)
    )
    await svc.answer(a, consultation.id, 1, 0)
    await svc.answer(a, consultation.id, 2, 1)
    await svc.comment(a, consultation.id, "chợ sạch", 3)
    await svc.comment(a, consultation.id, "chợ sạch, có chỗ để xe", 3)
    events = await db.fetchall(
        "SELECT question, event, from_option, to_option FROM consultation_events ORDER BY id"
    )
    assert [tuple(e) for e in events] == [
        (0, "answer", None, 1), (1, "answer", None, 4), (3, "answer", None, 0),
        (3, "comment", None, None),
    ]  # fmt: skip
    mine = await svc.my_answers(a, consultation.id)
    assert mine == {0: (1, None), 1: (4, None), 3: (0, "chợ sạch, có chỗ để xe")}
    assert [label for _c, label, _m in await svc.repo.answers_of(a)] == [
        "Đặt chợ ở đâu? — Gần trường", "Chợ cần gì? — Nhà vệ sinh",
        "Góp ý khác? — chợ sạch, có chỗ để xe",
    ]  # fmt: skip
    assert await svc.repo.erase_citizen(a) == 3
    assert await db.scalar("SELECT COUNT(*) FROM consultation_answers") == 0
    await assert_each_question_replays(svc, consultation.id)


async def test_a_consultation_made_before_several_questions_keeps_working(
    settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    """Migration 0016: the one question and its options become question 0, answers too."""
    early = tmp_path / "early"
    early.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name[:4]) < 16:
            shutil.copy(path, early / path.name)
    database = tmp_path / "old.db"
    old = await Database.open(database, early)
    try:
        [a] = await citizens(old, clock, 1)
        await old.execute(
            "INSERT INTO consultations (id, kind, state, title, question, options, audience,"
            " closes_at, eligible, author_channel, author_id, created_at)"
            " VALUES (1, 'poll', 'open', 'Đường', 'Làm đường?', '[\"Có\", \"Không\"]', 'all',"
            " ?, 1, 'cli', 'x', ?)",
            (to_db(clock.now() + timedelta(days=2)), to_db(clock.now())),
        )
        await old.execute(
            "INSERT INTO consultation_answers (consultation_id, voter, citizen_id, village_id,"
            " option, comment, answered_at, updated_at) VALUES (1, ?, ?, 'dong-tam', 1, 'ok', ?, ?)",
            (f"c:{a}", a, to_db(clock.now()), to_db(clock.now())),
        )
        await old.execute(
            "INSERT INTO consultation_events (consultation_id, voter, citizen_id, village_id, at,"
            " event, from_option, to_option) VALUES (1, ?, ?, 'dong-tam', ?, 'answer', NULL, 1)",
            (f"c:{a}", a, to_db(clock.now())),
        )
    finally:
        await old.close()
    db = await Database.open(database)
    try:
        svc = service(db, clock, settings)
        consultation = await svc.get(1)
        assert consultation.questions == (
            Question(QuestionType.SINGLE, "Làm đường?", ("Có", "Không")),
        )
        assert not consultation.stepwise  # still answered on its invitation
        assert await svc.answer(a, 1, 0) == 1  # the old answer, changed
        tally = await svc.repo.tally(1)
        assert tally.by_option() == (1, 0) and [c.text for c in tally.comments] == ["ok"]
        assert await svc.repo.replayed(1) == await svc.repo.live(1) == {("dong-tam", 0): 1}
    finally:
        await db.close()


async def test_the_report_has_each_question_its_chart_and_the_comments_with_the_answers(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    import io

    import docx

    from bot.consultations.paper import PaperTotals
    from bot.consultations.report import build_report, letterhead
    from bot.core.i18n import use_language

    a, b, c = await citizens(db, clock, 3)
    officer = await OfficerRepository(db, clock).add(Recipient.telegram(9), "VH", {Role.CULTURE})
    svc = service(db, clock, settings)
    consultation = await svc.open(
        AUTHOR, None,
        proposal(clock, kind=Kind.OPINION, questions=SEVERAL, public_comments=True),
    )  # fmt: skip
    await svc.answer(a, consultation.id, 0, 0)
    await svc.answer(b, consultation.id, 1, 0)
    for citizen, text in [(a, "Gọi 0912 345 678 nhé"), (b, "Không hay"), (c, "Cần bãi xe")]:
        await svc.comment(citizen, consultation.id, text, 3)
    first, hidden, _third = (await svc.repo.tally(consultation.id, 3)).comments
    await svc.respond(first.id, officer.id, "Xã sẽ gọi lại")
    await svc.hide(hidden.id, officer.id)
    await svc.enter_paper(consultation.id, PaperTotals("dong-tam", (4, 5, 6), "họp", 2), officer.id)
    consultation, tallies = await svc.all_results(consultation.id)
    assert [t.paper_total for t in tallies] == [0, 0, 15, 0]  # the question's own paper
    private = await svc.open(AUTHOR, None, proposal(clock, kind=Kind.OPINION, questions=SEVERAL))
    await svc.comment(a, private.id, "riêng", 3)
    [only] = (await svc.repo.tally(private.id, 3)).comments
    with pytest.raises(rules.ConsultationError) as refused:
        await svc.respond(only.id, officer.id, "trả lời")
    assert refused.value.text == rules.NOT_PUBLIC  # comments not public: no public answer
    with use_language("vi"):
        data = build_report(
            consultation, tallies, svc.villages, letterhead("Tân Việt", clock.now().date())
        )
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for wanted in ("1. Đặt chợ ở đâu?", "2. Chợ cần gì?", "4. Góp ý khác?",
                   "TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN", "Trả lời: Xã sẽ gọi lại",
                   "Cần bãi xe"):  # fmt: skip
        assert wanted in text, wanted
    assert "0912 345 678" not in text and "Không hay" not in text  # masked; hidden left out
    assert len(document.inline_shapes) == 3  # a chart per choice question
