"""Broadcasts published on a channel's feed: claimed once, never redone after a crash, counted a month."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.outreach.publications import FAILED, PUBLISHED, PUBLISHING, Publications

OA = "zalo_oa"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


async def sent(db: Database, clock: ManualClock, text: str) -> int:
    """A broadcast queued to one citizen, as /post's confirm leaves it."""
    now = clock.now().isoformat()
    await db.execute(
        "INSERT OR IGNORE INTO citizens (channel, external_id, display_name, onboarded,"
        " created_at, updated_at) VALUES ('telegram', '1001', 'Lan', 1, ?, ?)",
        (now, now),
    )
    broadcasts = Broadcasts(db, clock, Outbox(db, clock))
    author = Recipient.telegram(2001)
    draft = await broadcasts.start_draft(author, None)
    await broadcasts.update_draft(
        author, draft.id, message=OutgoingMessage(text), audience=Audience()
    )
    await broadcasts.confirm(author, draft.id)
    return draft.id


async def test_only_posts_sent_since_the_feed_opened_are_claimed_and_each_once(
    db: Database, clock: ManualClock
) -> None:
    feed = Publications(db, clock, HANOI)
    await sent(db, clock, "Trước khi bật")
    clock.advance(timedelta(minutes=1))
    await feed.open_feed(OA)
    assert await feed.claim_next(OA) is None  # sent before publishing was turned on
    clock.advance(timedelta(minutes=1))
    later = await sent(db, clock, "Sau khi bật")
    assert await feed.claim_next(OA) == later
    assert await feed.claim_next(OA) is None  # claimed: never twice
    assert await feed.claim_next("another") is None  # a channel without a feed


async def test_a_claim_a_crash_left_is_failed_at_restart_not_published_again(
    db: Database, clock: ManualClock
) -> None:
    feed = Publications(db, clock, HANOI)
    await feed.open_feed(OA)
    clock.advance(timedelta(seconds=1))
    broadcast = await sent(db, clock, "Tin")
    assert await feed.claim_next(OA) == broadcast
    (claimed,) = await feed.of(broadcast)
    assert claimed.state == PUBLISHING
    await feed.open_feed(OA)  # the next start
    (after,) = await feed.of(broadcast)
    assert after.state == FAILED and "restart" in after.detail
    assert await feed.claim_next(OA) is None


async def test_the_month_counts_what_was_published_since_the_first_local_day(
    db: Database, clock: ManualClock
) -> None:
    feed = Publications(db, clock, HANOI)
    await feed.open_feed(OA)
    clock.advance(timedelta(seconds=1))
    first = await sent(db, clock, "Một")
    assert await feed.claim_next(OA) == first
    await feed.finish(first, OA, PUBLISHED, "1/4", "article-1")
    assert await feed.published_this_month(OA) == 1
    clock.set(clock.now().replace(day=1) + timedelta(days=31))  # next month
    assert await feed.published_this_month(OA) == 0
