"""Each feature's figures for the periodic report and the weekly digest, from seeded records."""

from datetime import UTC, datetime

import pytest

from bot.cases.figures import CaseFiguresSource
from bot.reports.period import parse_period

# (code, kind, topic, village, received, due, status, events: [(day, action, text)])
CASES = [
    ("PA-AAAAA", "feedback", "roads", "tan-hung", "2026-07-01", "2026-07-15", "resolved",
     [("2026-07-02", "accepted", ""), ("2026-07-10", "answered", ""), ("2026-07-11", "resolved", ""),
      ("2026-07-12", "rated", "4/5")]),
    ("PA-BBBBB", "denunciation", "land", None, "2026-07-05", "2026-08-14", "accepted",
     [("2026-07-06", "accepted", "")]),
    ("PA-CCCCC", "petition", "pollution", "dong-tam", "2026-08-01", "2026-08-14", "resolved",
     [("2026-08-20", "answered", ""), ("2026-08-21", "resolved", ""), ("2026-08-22", "rated", "2/5")]),
    ("PA-DDDDD", "question", "admin_procedures", "tan-hung", "2026-06-20", "2026-07-03", "transferred",
     [("2026-07-01", "transferred", "Công an huyện")]),
    ("PA-EEEEE", "complaint", "compensation", "viet-tien", "2026-09-29", "2026-10-13", "new", []),
    ("PA-FFFFF", "feedback", "roads", "tan-hung", "2026-07-03", "2026-07-17", "accepted",
     [("2026-07-08", "resolved", ""), ("2026-07-20", "reopened", "")]),
]  # fmt: skip


def at_nine(day: str) -> str:
    """09:00 in Hà Nội on `day`, stored as UTC text like the bot does."""
    return f"{day}T02:00:00+00:00"


@pytest.fixture
async def seeded(db) -> None:
    for code, kind, topic, village, received, due, status, events in CASES:
        async with db.transaction() as tx:
            case_id = await tx.execute(
                "INSERT INTO cases (code, kind, topic, village_id, description, text_hash, status,"
                " office, received_at, due_on, updated_at)"
                " VALUES (?, ?, ?, ?, 'nội dung riêng tư', ?, ?, 'justice', ?, ?, ?)",
                (
                    code,
                    kind,
                    topic,
                    village,
                    code,
                    status,
                    at_nine(received),
                    due,
                    at_nine(received),
                ),
            )
            await tx.execute(
                "INSERT INTO case_events (case_id, at, action) VALUES (?, ?, 'submitted')",
                (case_id, at_nine(received)),
            )
            for day, action, text in events:
                await tx.execute(
                    "INSERT INTO case_events (case_id, at, action, text) VALUES (?, ?, ?, ?)",
                    (case_id, at_nine(day), action, text),
                )


async def test_every_case_figure_of_a_quarter(seeded, db, settings, clock) -> None:
    clock.set(datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
    figures = await CaseFiguresSource(db, settings, clock).figures(
        parse_period("2026-Q3", settings.timezone)
    )
    assert {c.key: c.value for c in figures.by_kind} == {
        "question": 0, "feedback": 2, "petition": 1, "complaint": 1, "denunciation": 1,
    }  # fmt: skip
    topics = {c.key: c.value for c in figures.by_topic if c.value}
    assert topics == {"roads": 2, "land": 1, "pollution": 1, "compensation": 1}
    villages = {c.key: c.value for c in figures.by_village if c.value}
    assert villages == {"tan-hung": 2, "dong-tam": 1, "viet-tien": 1, "": 1}
    assert (figures.accepted, figures.answered, figures.resolved, figures.transferred) == (
        2,
        2,
        3,
        1,
    )
    assert (figures.on_time, figures.late) == (3, 1)
    assert figures.median_working_days == 7.5  # 3, 7, 8 and 14 working days
    assert (figures.satisfaction, figures.ratings) == (3.0, 2)
    assert figures.overdue == 2  # the open denunciation and the reopened feedback


async def test_a_running_period_counts_overdue_as_of_now(seeded, db, settings, clock) -> None:
    clock.set(datetime(2026, 7, 16, 3, 0, tzinfo=UTC))  # A is done; F is due tomorrow
    figures = await CaseFiguresSource(db, settings, clock).figures(
        parse_period("2026-07", settings.timezone)
    )
    assert figures.overdue == 0
    clock.set(datetime(2026, 7, 21, 3, 0, tzinfo=UTC))
    figures = await CaseFiguresSource(db, settings, clock).figures(
        parse_period("2026-07", settings.timezone)
    )
    assert figures.overdue == 1  # F reopened past its deadline


async def test_faq_figures_count_asked_answered_unanswered_and_sent_on(db, settings) -> None:
    from bot.faq.figures import FaqFiguresSource

    rows = [  # (day, outcome, feedback, sent on as a case)
        ("2026-07-01", "confident", None, None),
        ("2026-07-02", "confident", "helpful", None),
        ("2026-07-03", "confident", "not_helpful", "PA-AAAAA"),
        ("2026-07-04", "middling", None, "PA-BBBBB"),  # choices offered, none taken: sent on
        ("2026-07-05", "none", None, None),
        ("2026-06-30", "confident", None, None),  # before the period
    ]
    for day, outcome, feedback, code in rows:
        await db.execute(
            "INSERT INTO faq_queries (at, channel, external_id, text, folded, outcome, confidence,"
            " feedback, sent_code) VALUES (?, 'telegram', '1', 'câu hỏi', 'cau hoi', ?, 0.5, ?, ?)",
            (at_nine(day), outcome, feedback, code),
        )
    figures = await FaqFiguresSource(db).figures(parse_period("2026-Q3", settings.timezone))
    assert (figures.asked, figures.answered_at_once, figures.unanswered) == (5, 2, 2)
    assert figures.sent_to_officers == 2


async def test_duty_figures_count_done_late_overdue_and_reception_days(db, settings, clock) -> None:
    from bot.duties.figures import DutyFiguresSource

    rows = [  # (duty, due day, done day or None); due at 17:00 in Hà Nội
        ("report-monthly", "2026-07-25", "2026-07-24"),  # on time
        ("report-monthly", "2026-08-25", "2026-08-27"),  # late
        ("report-monthly", "2026-09-25", None),  # still open at the end: overdue
        ("citizen-reception", "2026-07-02", "2026-07-02"),
        ("citizen-reception", "2026-07-09", None),  # not held
        ("citizen-reception", "2026-06-25", "2026-06-25"),  # before the period
    ]
    for duty, due, done in rows:
        await db.execute(
            "INSERT INTO duty_periods (duty_id, period_key, due_at, created_at, done_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (duty, f"{due}T17:00", at_five(due), at_five(due), at_nine(done) if done else None),
        )
    clock.set(datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
    source = DutyFiguresSource.from_settings(db, settings, clock)
    figures = await source.figures(parse_period("2026-Q3", settings.timezone))
    assert (figures.done_on_time, figures.done_late, figures.overdue) == (2, 1, 2)
    # Every Thursday of the quarter is due, whether or not the bot had a row for it:
    # 2, 9, 16, 23, 30 July; 6, 13, 20, 27 August; 3, 10, 17, 24 September.
    assert (figures.reception_days_held, figures.reception_days_due) == (1, 13)
    clock.set(datetime(2026, 7, 10, 3, 0, tzinfo=UTC))  # a running quarter: up to now
    figures = await source.figures(parse_period("2026-Q3", settings.timezone))
    assert (figures.reception_days_held, figures.reception_days_due) == (1, 2)


def at_five(day: str) -> str:
    """17:00 in Hà Nội on `day`: when a duty falls due."""
    return f"{day}T10:00:00+00:00"


async def test_weekly_digest_lines_for_cases(seeded, db, settings) -> None:
    from datetime import timedelta

    from bot.cases.figures import CaseDigestSource

    end = datetime(2026, 8, 21, 3, 0, tzinfo=UTC)
    lines = await CaseDigestSource(db, settings).weekly_figures(end - timedelta(days=7), end)
    assert [(f.label, f.value) for f in lines] == [
        ("Cases received this week", 0),
        ("Cases answered this week", 1),  # the petition answered on 20 August
        ("Cases overdue now", 2),  # the open denunciation and the reopened feedback
    ]


async def test_broadcast_figures_by_kind_with_reach(db, settings, clock) -> None:
    from bot.outreach.figures import BroadcastFiguresSource

    await db.execute(
        "INSERT INTO library_items (id, kind, title, body, published_on, source, checksum,"
        " updated_at) VALUES ('s1', 'model_story', 'Gương sáng', 'Nội dung', '2026-07-01',"
        " 's1.md', 'x', '2026-07-01')"
    )
    # (item, state, queued day, outbox states)
    broadcasts = [
        ("s1", "done", "2026-07-10", ["sent", "sent", "blocked"]),
        (None, "done", "2026-08-02", ["sent", "failed"]),
        (None, "sending", "2026-09-30", ["sent", "pending"]),
        (None, "cancelled", "2026-08-05", []),
        (None, "done", "2026-06-30", ["sent"]),  # before the period
    ]
    for item, state, day, rows in broadcasts:
        async with db.transaction() as tx:
            broadcast_id = await tx.execute(
                "INSERT INTO broadcasts (state, author_channel, author_id, item_id, created_at,"
                " queued_at) VALUES (?, 'telegram', '7', ?, ?, ?)",
                (state, item, at_nine(day), at_nine(day)),
            )
            for n, row_state in enumerate(rows):
                await tx.execute(
                    "INSERT INTO outbox (broadcast_id, channel, external_id, state, created_at)"
                    " VALUES (?, 'telegram', ?, ?, ?)",
                    (broadcast_id, str(n), row_state, at_nine(day)),
                )
    source = BroadcastFiguresSource(db)
    figures = await source.figures(parse_period("2026-Q3", settings.timezone))
    assert {c.key: c.value for c in figures.by_kind if c.value} == {
        "model_story": 1,
        "announcement": 2,
    }
    assert (figures.recipients, figures.delivered) == (7, 4)
    week = await source.weekly_figures(
        datetime(2026, 7, 6, tzinfo=UTC), datetime(2026, 7, 13, tzinfo=UTC)
    )
    assert [f.value for f in week] == [1, 2]


async def test_the_report_on_real_cases_never_describes_one(seeded, db, settings, clock) -> None:
    from bot.reports.service import ReportService, connected_sources
    from tests.storage.test_report_outputs import full_text

    clock.set(datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
    reports = ReportService(connected_sources(db, settings, clock), settings, clock)
    files = await reports.build(reports.parse("2026-Q3"))
    text = full_text(files.docx) + files.csv.decode("utf-8-sig")
    assert "Tố cáo" in text  # the denunciation is counted...
    assert "nội dung riêng tư" not in text and "Công an huyện" not in text  # ...never described
    for code, *_ in CASES:
        assert code not in text
