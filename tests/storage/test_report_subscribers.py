"""Subscriber figures for a period from real subscription events on a SQLite file."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.core.paths import MIGRATIONS_DIR
from bot.messaging.channels import Recipient
from bot.people.citizens import CitizenRepository
from bot.people.subscriptions import Subscriptions
from bot.reports.figures import Count
from bot.reports.period import parse_period
from bot.reports.subscribers import SubscriberFiguresSource


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Who does what, when (UTC); Q3 2026 in Hà Nội is 30 June 17:00 to 30 September 17:00 UTC.
STORY = [
    ("2026-05-10 03:00", "A", "start", "tan-hung"),  # before the period, stays
    ("2026-05-10 04:00", "B", "start", "tan-hung"),
    ("2026-08-05 04:00", "B", "stop", None),  # leaves during the period
    ("2026-07-15 02:00", "C", "start", "dong-tam"),  # new
    ("2026-07-20 02:00", "D", "start", "hoa-binh"),  # new, then blocks the bot
    ("2026-09-01 02:00", "D", "block", None),
    ("2026-04-01 02:00", "E", "start", "tan-hung"),
    ("2026-06-01 02:00", "E", "stop", None),
    ("2026-08-10 02:00", "E", "start", None),  # comes back during the period
    ("2026-10-05 02:00", "F", "start", "tan-hung"),  # after the period
    ("2026-06-30 17:30", "G", "start", "viet-tien"),  # 00:30 on 1 July in Hà Nội: new
    ("2026-06-30 16:30", "H", "start", "viet-tien"),  # 23:30 on 30 June: not new
    ("2026-07-02 02:00", "I", "start", None),  # never chose a village
    ("2026-07-03 02:00", "J", "start", "dong-tam"),  # new, leaves and comes back
    ("2026-07-04 02:00", "J", "stop", None),
    ("2026-07-05 02:00", "J", "start", None),
    ("2026-09-30 16:59", "K", "start", "thanh-cong"),  # 23:59 on 30 September: new
    ("2026-09-30 17:00", "K", "block", None),  # 00:00 on 1 October: after the period
]
PEOPLE = {name: 8800100 + index for index, name in enumerate("ABCDEFGHIJK")}


async def play(subscriptions: Subscriptions, clock: ManualClock) -> None:
    for when, who, action, village in sorted(STORY):
        clock.set(at(when))
        recipient = Recipient.telegram(PEOPLE[who])
        if action == "start":
            await subscriptions.start(recipient, f"Người {who} 0912 000 {PEOPLE[who]}", "vi")
            if village:
                await subscriptions.choose_village(recipient, village)
        elif action == "stop":
            await subscriptions.unsubscribe(recipient)
        else:
            await subscriptions.mark_blocked(recipient)


@pytest.fixture
async def source(db, clock, settings) -> SubscriberFiguresSource:
    await play(Subscriptions(CitizenRepository(db, clock), settings), clock)
    return SubscriberFiguresSource(db, settings)


async def test_every_subscriber_figure_of_a_quarter(source, settings) -> None:
    figures = await source.figures(parse_period("2026-Q3", settings.timezone))
    # At the end: A, C, E, G, H, I, J, K. New: C, D, G, I, J, K. Returned: E.
    assert figures.total == 8
    assert figures.new == 6
    assert figures.returned == 1
    assert figures.unsubscribed == 2  # B, and J (who came back: still counted as leaving once)
    assert figures.blocked == 1  # D; K blocked after the period
    assert figures.by_village == (
        Count("tan-hung", "Thôn Tân Hưng", 2),
        Count("viet-tien", "Thôn Việt Tiến", 2),
        Count("dong-tam", "Thôn Đồng Tâm", 2),
        Count("hoa-binh", "Thôn Hoà Bình", 0),
        Count("thanh-cong", "Thôn Thành Công", 1),
        Count("quyet-thang", "Thôn Quyết Thắng", 0),
        Count("", "Village not chosen", 1),
    )


@pytest.mark.parametrize(
    ("period", "total", "new", "returned", "unsubscribed", "blocked"),
    [
        ("2026-05", 3, 2, 0, 0, 0),  # E (April), A, B
        ("2026-06", 3, 1, 0, 1, 0),  # E left; H arrived at 23:30 on 30 June
        ("2026-07", 8, 5, 0, 1, 0),  # G, C, D, I, J new; J left and came back
        ("2026-08", 8, 0, 1, 1, 0),  # E back, B left
        ("2026-10", 8, 1, 0, 0, 1),  # F new; K blocked at midnight on 1 October
        # E first came in April, so in the whole year E is new, not returning.
        ("2026", 8, 11, 0, 3, 2),
        ("2026-07-15..2026-07-15", 7, 1, 0, 0, 0),  # A, B, H, G, I, J, C
    ],
)
async def test_figures_of_other_periods(
    source, settings, period, total, new, returned, unsubscribed, blocked
) -> None:
    figures = await source.figures(parse_period(period, settings.timezone))
    assert (figures.total, figures.new, figures.returned) == (total, new, returned)
    assert (figures.unsubscribed, figures.blocked) == (unsubscribed, blocked)
    assert figures.total == sum(c.value for c in figures.by_village)


async def test_the_total_now_matches_the_citizens_table(source, db, settings, clock) -> None:
    counts = await CitizenRepository(db, clock).count_subscribed_by_village()
    figures = await source.figures(parse_period("2026", settings.timezone))
    assert figures.total == sum(counts.values())


async def test_events_are_written_with_the_change_itself(db, clock, settings) -> None:
    subscriptions = Subscriptions(CitizenRepository(db, clock), settings)
    lan = Recipient.telegram(1001)
    await subscriptions.start(lan, "Lan", "vi")
    await subscriptions.start(lan, "Lan", "vi")  # already subscribed: nothing happens
    await subscriptions.finish_onboarding(lan)
    await subscriptions.unsubscribe(lan)
    await subscriptions.mark_blocked(lan)  # blocked after /stop: still just "left"
    await subscriptions.mark_blocked(lan, False)
    await subscriptions.start(lan, "Lan", "vi")
    await subscriptions.mark_blocked(lan)
    rows = await db.fetchall("SELECT event FROM subscription_events ORDER BY id")
    assert [r[0] for r in rows] == ["subscribed", "unsubscribed", "subscribed", "blocked"]


async def test_citizens_from_before_the_history_are_backfilled(tmp_path: Path, clock) -> None:
    only_foundation = tmp_path / "migrations"
    only_foundation.mkdir()
    (only_foundation / "0001_foundation.sql").write_text(
        (MIGRATIONS_DIR / "0001_foundation.sql").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "old.db"
    old = await Database.open(path, only_foundation)
    for number, (subscribed, blocked) in enumerate([(1, 0), (0, 0), (1, 1)]):
        await old.execute(
            "INSERT INTO citizens (channel, external_id, subscribed, blocked, created_at,"
            " updated_at) VALUES ('telegram', ?, ?, ?, '2026-01-0{0}T00:00:00+00:00',"
            " '2026-02-0{0}T00:00:00+00:00')".replace("{0}", str(number + 1)),
            (str(number), subscribed, blocked),
        )
    await old.close()
    db = await Database.open(path)
    rows = await db.fetchall("SELECT citizen_id, at, event FROM subscription_events ORDER BY id")
    await db.close()
    assert [tuple(r) for r in rows] == [
        (1, "2026-01-01T00:00:00+00:00", "subscribed"),
        (2, "2026-01-02T00:00:00+00:00", "subscribed"),
        (3, "2026-01-03T00:00:00+00:00", "subscribed"),
        (2, "2026-02-02T00:00:00+00:00", "unsubscribed"),
        (3, "2026-02-03T00:00:00+00:00", "blocked"),
    ]
