"""Every figure of a quarterly report equals a count made apart from the report.

A quarter (Q4 2026) of citizens' life is played through the real services,
with events just before and after it: subscriptions, broadcasts and their
delivery, cases and their handling, FAQ questions (one sent on to the
officers), and duties with the chairman's reception days (the bot first ran
in mid-October). The expected figures are counted by the test, by
construction or from the raw rows, and compared with the report's CSV, its
Word tables and its charts.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import holidays
import pytest

from bot.cases.model import Case, Kind, Status, Topic
from bot.core.clock import ManualClock, from_db
from bot.core.config import Settings
from bot.faq.matcher import Verdict
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outcome
from bot.outreach.audience import Audience
from bot.people.officers import Role
from bot.reports.csv_report import read_csv
from bot.reports.period import Period
from bot.services import Services
from tests.storage.test_cases import draft, submit

A, B, C, D, E, F = (Recipient.telegram(5000 + n) for n in range(1, 7))
OFFICER = Recipient.telegram(9001)  # justice and culture
CHAIRMAN = Recipient.telegram(9002)
KNOWN_QUESTION = "Đăng ký khai sinh cho con cần những giấy tờ gì?"  # content/faq/ho-tich.toml
NONSENSE = "xyzzy plugh qwerty zork"


def at(day: str, hour: int = 9) -> datetime:
    """`hour` o'clock in Hà Nội on `day` (UTC+7, no daylight saving)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC) - timedelta(hours=7)


@dataclass
class Played:
    """What the test did, to count from."""

    cases: dict[str, Case] = field(default_factory=dict)
    handled: dict[str, date] = field(default_factory=dict)  # first answer or closing
    ratings: list[int] = field(default_factory=list)
    reception_done: list[date] = field(default_factory=list)


# The quarter is played once per worker into a database of its own (a few seconds
# of CPU); each test gets a copy of that file and opens its own services on it.
_quarter: list[tuple[Path, Played]] = []


@pytest.fixture
async def quarter(
    settings: Settings, clock: ManualClock, tmp_path_factory: pytest.TempPathFactory
) -> Played:
    """The played quarter in this test's database; the clock just after it."""
    if not _quarter:
        folder = tmp_path_factory.mktemp("quarter")
        template = replace(settings, database_path=folder / "danvan.db")
        opened = await Services.open(template, clock)
        try:
            await opened.officers.add(OFFICER, "Anh Tư", {Role.JUSTICE, Role.CULTURE})
            await opened.officers.add(CHAIRMAN, "Ông Nam", {Role.CHAIRMAN})
            played = Played()
            await play_subscribers_and_broadcasts(opened, clock)
            await play_cases_and_faq(opened, clock, played)
            await play_duties(opened, clock, played)
        finally:
            await opened.close()
        assert not (folder / "danvan.db-wal").exists()  # all of it is in the one file
        _quarter.append((template.database_path, played))
    path, played = _quarter[0]
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, settings.database_path)
    clock.set(at("2027-01-05", 10))
    return played


@pytest.fixture
async def services(
    settings: Settings, clock: ManualClock, quarter: Played
) -> AsyncIterator[Services]:
    opened = await Services.open(settings, clock)
    yield opened
    await opened.close()


async def subscribe(
    s: Services, clock: ManualClock, who: Recipient, day: str, village: str | None
) -> None:
    clock.set(at(day))
    await s.subscriptions.start(who, f"Công dân {who.external_id}", "vi")
    if village:
        await s.subscriptions.choose_village(who, village)


async def broadcast(s: Services, clock: ManualClock, day: str, fail: set[Recipient]) -> int:
    """An announcement to everyone, delivered: sent to all but `fail`; its id."""
    clock.set(at(day))
    draft_ = await s.broadcasts.start_draft(OFFICER, None)
    await s.broadcasts.update_draft(
        OFFICER, draft_.id, message=OutgoingMessage("Thông báo"), audience=Audience()
    )
    await s.broadcasts.confirm(OFFICER, draft_.id)
    await deliver(s, fail)
    return draft_.id


async def deliver(s: Services, fail: set[Recipient] | None = None) -> None:
    """Drain the outbox as a sender would: all sent, but the broadcast's to `fail` failed."""
    while rows := await s.outbox.claim(500):
        await s.outbox.record(
            Outcome(
                row, "failed" if row.broadcast_id and row.recipient in (fail or ()) else "sent", 1
            )
            for row in rows
        )


async def tick(s: Services, clock: ManualClock, day: str, hour: int = 9) -> None:
    clock.set(at(day, hour))
    await s.duties.tick()
    await deliver(s)


async def mark_done(s: Services, clock: ManualClock, duty: str, due: str, day: str) -> None:
    """The chairman marks the period of `duty` due on `due` done on `day` at 16:00."""
    clock.set(at(day, 16))
    await s.duties.tick()
    periods = [
        p
        for p in await s.duties.repo.open_periods()
        if p.duty_id == duty and p.due.astimezone(s.settings.timezone).date().isoformat() == due
    ]
    assert len(periods) == 1, (duty, due, periods)
    await s.duties.mark_done(CHAIRMAN, periods[0].id)


async def play_subscribers_and_broadcasts(s: Services, clock: ManualClock) -> None:
    """In time order: the audience of a broadcast is who is subscribed when it goes out."""
    await subscribe(s, clock, A, "2026-09-10", "tan-hung")
    await subscribe(s, clock, B, "2026-09-12", "dong-tam")
    await broadcast(s, clock, "2026-09-20", set())  # before the quarter: A and B
    await subscribe(s, clock, C, "2026-10-02", "tan-hung")
    clock.set(at("2026-10-05"))
    await s.subscriptions.unsubscribe(B)
    await broadcast(s, clock, "2026-10-10", {C})  # A and C; C's message fails
    await subscribe(s, clock, B, "2026-11-03", None)  # B comes back, still in Đồng Tâm
    await subscribe(s, clock, D, "2026-11-08", None)
    clock.set(at("2026-12-05"))
    await s.subscriptions.mark_blocked(A)
    await subscribe(s, clock, E, "2026-12-12", None)
    await broadcast(s, clock, "2026-12-15", set())  # B, C, D and E
    await subscribe(s, clock, F, "2027-01-02", "viet-tien")  # after the quarter
    await broadcast(s, clock, "2027-01-03", set())


async def file(s: Services, clock: ManualClock, who: Recipient, day: str, kind: Kind) -> Case:
    clock.set(at(day))
    return await submit(s.cases, draft(kind, f"Việc số {day} của {who.external_id}"), who)


async def handle(s: Services, clock: ManualClock, day: str, action: str, case: Case) -> None:
    clock.set(at(day, 10))
    if action == "accept":
        await s.cases.accept(OFFICER, case.id)
    elif action == "answer":
        await s.cases.answer(OFFICER, case.id, "Trả lời của xã")
    else:
        status = {"resolve": Status.RESOLVED, "transfer": Status.TRANSFERRED}[action]
        await s.cases.close(OFFICER, case.id, status, "Công an huyện")


async def play_cases_and_faq(s: Services, clock: ManualClock, played: Played) -> None:
    """In time order; `played` keeps the cases and the day each was first handled."""
    cases = played.cases
    cases["before"] = await file(s, clock, A, "2026-09-28", Kind.FEEDBACK)
    clock.set(at("2026-09-30"))
    await s.faq.ask(KNOWN_QUESTION, C)  # before the quarter
    await handle(s, clock, "2026-10-02", "answer", cases["before"])
    played.handled["before"] = date(2026, 10, 2)

    cases["c1"] = await file(s, clock, C, "2026-10-05", Kind.FEEDBACK)
    await handle(s, clock, "2026-10-06", "accept", cases["c1"])
    await handle(s, clock, "2026-10-12", "answer", cases["c1"])
    await handle(s, clock, "2026-10-13", "resolve", cases["c1"])
    clock.set(at("2026-10-14"))
    await s.cases.rate(C, cases["c1"].id, 5)
    played.handled["c1"], played.ratings = date(2026, 10, 12), [5]

    # The FAQ: one answer at once, one rejected and sent on, one nothing found.
    clock.set(at("2026-10-19"))
    found = await s.faq.ask(KNOWN_QUESTION, C)
    assert found.verdict is Verdict.CONFIDENT  # what the scenario rests on
    clock.set(at("2026-10-20"))
    rejected = await s.faq.ask(KNOWN_QUESTION, D)
    assert rejected.query_id is not None
    await s.faq.feedback(rejected.query_id, D, helpful=False)
    receipt = await s.faq.send_to_officers(rejected.query_id, D, "vi")
    assert receipt is not None
    sent_on = await s.cases.repo.by_code(receipt.code)  # a question case
    assert sent_on is not None
    cases["faq"] = sent_on
    await handle(s, clock, "2026-10-22", "transfer", sent_on)
    clock.set(at("2026-10-23"))
    await s.cases.rate(D, sent_on.id, 3)
    played.handled["faq"], played.ratings = date(2026, 10, 22), [5, 3]

    cases["c2"] = await file(s, clock, B, "2026-11-02", Kind.PETITION)
    await handle(s, clock, "2026-11-03", "accept", cases["c2"])
    await handle(s, clock, "2026-11-10", "answer", cases["c2"])
    played.handled["c2"] = date(2026, 11, 10)
    clock.set(at("2026-11-16"))
    nothing = await s.faq.ask(NONSENSE, E)
    assert nothing.verdict is not Verdict.CONFIDENT
    await handle(s, clock, "2026-11-20", "resolve", cases["c2"])
    cases["c4"] = await file(s, clock, E, "2026-11-20", Kind.FEEDBACK)  # never handled
    clock.set(at("2026-11-25"))
    await s.cases.reopen(B, cases["c2"].id, "Chưa xong")  # open again at the end

    cases["c3"] = await file(s, clock, D, "2026-12-01", Kind.COMPLAINT)
    await handle(s, clock, "2026-12-02", "accept", cases["c3"])
    cases["c5"] = await file(s, clock, E, "2026-12-30", Kind.FEEDBACK)
    clock.set(at("2027-01-02"))
    await s.faq.ask(NONSENSE, F)  # after the quarter
    await handle(s, clock, "2027-01-04", "answer", cases["c5"])  # answered after it
    await deliver(s)


async def play_duties(s: Services, clock: ManualClock, played: Played) -> None:
    """The bot first runs on 15 October; the chairman holds three reception days."""
    done = {  # day -> (duty, the day its period is due)
        "2026-10-20": ("report-monthly", "2026-10-23"),  # on time
        "2026-10-22": ("citizen-reception", "2026-10-22"),
        "2026-11-05": ("citizen-reception", "2026-11-05"),
        "2026-12-01": ("report-monthly", "2026-11-25"),  # late
        "2026-12-10": ("citizen-reception", "2026-12-10"),
    }
    day = date(2026, 10, 15)
    while day <= date(2027, 1, 5):
        if (day - date(2026, 10, 15)).days % 3 == 0:  # the jobs ran, now and then
            await tick(s, clock, day.isoformat())
        if day.isoformat() in done:
            duty, due = done[day.isoformat()]
            await mark_done(s, clock, duty, due, day.isoformat())
            if duty == "citizen-reception":
                played.reception_done.append(day)
        day += timedelta(days=1)
    await deliver(s)


def working_days_after(first: date, last: date) -> int:
    """Working days after `first` up to `last`: weekdays that are not public holidays."""
    off = holidays.country_holidays("VN", years=range(first.year, last.year + 1))
    days = [first + timedelta(n) for n in range(1, (last - first).days + 1)]
    return sum(1 for d in days if d.weekday() < 5 and d not in off)


def thursdays(period: Period) -> int:
    days = (
        period.first_day + timedelta(n)
        for n in range((period.last_day - period.first_day).days + 1)
    )
    return sum(1 for d in days if d.weekday() == 3)


async def duty_rows(s: Services) -> list[tuple[str, datetime, datetime | None]]:
    rows = await s.db.fetchall("SELECT duty_id, due_at, done_at FROM duty_periods")
    return [(r[0], from_db(r[1]), from_db(r[2]) if r[2] else None) for r in rows]


async def expected_figures(
    s: Services, played: Played, period: Period
) -> dict[tuple[str, str, str], object]:
    """Every figure of the report, counted apart from the report's sources."""
    start, end = period.start, period.end
    cases = {k: await s.cases.get(c.id) for k, c in played.cases.items()}
    received = [c for k, c in cases.items() if start <= c.received_at < end]
    # Open: not resolved, rejected or transferred (an answer alone does not close a case).
    open_at_end = [cases[k] for k in ("before", "c2", "c3", "c4", "c5")]
    in_period = dict(played.handled)  # every case first handled in the quarter
    on_time = [k for k, d in in_period.items() if d <= cases[k].due_on]
    durations = sorted(
        working_days_after(cases[k].received_at.astimezone(period.tz).date(), d)
        for k, d in in_period.items()
    )
    middle = len(durations) // 2
    median = (
        (durations[middle - 1] + durations[middle]) / 2
        if len(durations) % 2 == 0
        else durations[middle]
    )
    kinds = Counter(c.kind.value for c in received)
    topics = Counter(c.topic.value for c in received)
    villages = Counter(c.village_id or "" for c in received)
    duties = await duty_rows(s)
    figures: dict[tuple[str, str, str], object] = {
        # Subscribers: B, C, D and E at the end (A blocked); C, D, E new; B back.
        ("subscribers", "total", ""): 4,
        ("subscribers", "new", ""): 3,
        ("subscribers", "returned", ""): 1,
        ("subscribers", "unsubscribed", ""): 1,
        ("subscribers", "blocked", ""): 1,
        ("subscribers", "by_village", "tan-hung"): 1,
        ("subscribers", "by_village", "dong-tam"): 1,
        ("subscribers", "by_village", ""): 2,  # D and E chose none
        # Broadcasts: 2 in the quarter; to A and C (1 failed), then B, C, D and E.
        ("broadcasts", "count", ""): 2,
        ("broadcasts", "recipients", ""): 6,
        ("broadcasts", "delivered", ""): 5,
        ("broadcasts", "delivery_rate", ""): 5 / 6,
        ("broadcasts", "by_kind", "announcement"): 2,
        ("cases", "received", ""): len(received),
        ("cases", "accepted", ""): 3,  # c1, c2, c3
        ("cases", "answered", ""): 3,  # before, c1, c2
        ("cases", "resolved", ""): 2,  # c1, c2 (reopened later)
        ("cases", "transferred", ""): 1,  # the FAQ's question
        ("cases", "overdue", ""): sum(1 for c in open_at_end if c.due_on < date(2027, 1, 1)),
        ("cases", "on_time", ""): len(on_time),
        ("cases", "late", ""): len(in_period) - len(on_time),
        ("cases", "share_on_time", ""): len(on_time) / len(in_period),
        ("cases", "median_working_days", ""): median,
        ("cases", "satisfaction", ""): sum(played.ratings) / len(played.ratings),
        ("cases", "ratings", ""): len(played.ratings),
        ("faq", "asked", ""): 3,
        ("faq", "answered_at_once", ""): 1,
        ("faq", "unanswered", ""): 2,  # the rejected answer and the nonsense
        ("faq", "sent_to_officers", ""): 1,
        ("duties", "reception_days_held", ""): len(played.reception_done),
        ("duties", "reception_days_due", ""): thursdays(period),
        ("duties", "done_on_time", ""): sum(
            1 for _d, due, done in duties if done and start <= done < end and done <= due
        ),
        ("duties", "done_late", ""): sum(
            1 for _d, due, done in duties if done and start <= done < end and done > due
        ),
        ("duties", "overdue", ""): sum(
            1 for _d, due, done in duties if start <= due < end and (done is None or done >= end)
        ),
    }
    figures |= {("cases", "by_kind", k.value): kinds.get(k.value, 0) for k in Kind}
    figures |= {("cases", "by_topic", t.value): topics.get(t.value, 0) for t in Topic}
    figures |= {("cases", "by_village", v): n for v, n in villages.items()}
    return figures


@pytest.fixture
def played(quarter: Played) -> Played:
    return quarter


def table_values(document: bytes) -> dict[str, str]:
    """Label -> value of every two-column row of the Word report's tables."""
    parsed = docx.Document(io.BytesIO(document))
    return {r.cells[0].text: r.cells[-1].text for t in parsed.tables for r in t.rows}


async def test_every_figure_of_the_quarter_is_counted_right(
    services: Services, played: Played
) -> None:
    period = services.reports.parse("2026-Q4")
    files = await services.reports.build(period)
    expected = await expected_figures(services, played, period)
    got = {(r.area, r.metric, r.key): r.value for r in read_csv(files.csv)}
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != pytest.approx(v)}
    assert wrong == {}, "(report, counted) differ"
    # Nothing the report shows is left uncounted: every figure but the zero rows
    # of breakdowns (kinds, topics, villages nobody wrote from) was checked.
    unchecked = {k: v for k, v in got.items() if k[0] != "report" and k not in expected and v}
    assert unchecked == {}
    values = table_values(files.docx)
    assert values["Chưa có câu trả lời, chuyển cán bộ"] == "1"
    assert values["Số ngày tiếp công dân đã tổ chức"] == "3"
    assert values["Số ngày tiếp công dân theo lịch"] == "14"  # every Thursday of Q4
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files.docx)).paragraphs)
    assert "Số ngày tiếp công dân đã tổ chức: 3/14." in text
    assert "3 câu hỏi" in text and "1 câu được chuyển cán bộ trả lời" in text


async def test_charts_cover_exactly_the_quarter_with_shares_up_to_100(
    services: Services, played: Played
) -> None:
    files = await services.reports.build(services.reports.parse("2026-Q4"))
    assert [c.months for c in files.charts] == [("10/2026", "11/2026", "12/2026")] * 2
    assert files.charts[1].y_range == (0.0, 100.0)  # the share of cases handled on time
    assert files.missing_charts == ()
    assert len(docx.Document(io.BytesIO(files.docx)).inline_shapes) == 2


async def test_a_month_is_too_short_for_a_chart_and_the_report_says_so(
    services: Services, played: Played
) -> None:
    files = await services.reports.build(services.reports.parse("2026-12"))
    assert files.charts == ()
    assert len(files.missing_charts) == 2
    parsed = docx.Document(io.BytesIO(files.docx))
    assert len(parsed.inline_shapes) == 0
    text = "\n".join(p.text for p in parsed.paragraphs)
    assert (
        "Câu hỏi, phản ánh, kiến nghị tiếp nhận theo tháng, theo loại: không vẽ biểu đồ vì"
        " kỳ báo cáo có số liệu chưa đủ hai tháng." in text
    )
