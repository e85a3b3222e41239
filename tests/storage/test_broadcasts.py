"""The broadcast service: drafts belong to their author, confirm once, schedule, close."""

from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts, DraftGone
from bot.people.citizens import CitizenRepository

AUTHOR = Recipient.telegram(2001)


async def draft_for(broadcasts: Broadcasts, **fields: object) -> int:
    draft = await broadcasts.start_draft(AUTHOR, None)
    await broadcasts.update_draft(AUTHOR, draft.id, message=OutgoingMessage("tin"), **fields)
    return draft.id


async def test_a_draft_is_its_authors_and_is_confirmed_once(
    db: Database, clock: ManualClock
) -> None:
    citizens = CitizenRepository(db, clock)
    for i in range(3):
        await citizens.create(Recipient.telegram(i), "c", "vi", "dong-tam")
    broadcasts = Broadcasts(db, clock, Outbox(db, clock))
    draft_id = await draft_for(broadcasts, audience=Audience())
    with pytest.raises(DraftGone):
        await broadcasts.update_draft(Recipient.telegram(9), draft_id, topic_id="reform")
    with pytest.raises(DraftGone):
        await broadcasts.confirm(Recipient.telegram(9), draft_id)
    sent = await broadcasts.confirm(AUTHOR, draft_id)
    assert sent.state == "sending" and sent.total == 3
    with pytest.raises(DraftGone):
        await broadcasts.confirm(AUTHOR, draft_id)
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 3
    assert await broadcasts.cancel(draft_id) is False  # already sending


async def test_scheduled_posts_wait_for_their_time_and_can_be_cancelled(
    db: Database, clock: ManualClock
) -> None:
    await CitizenRepository(db, clock).create(Recipient.telegram(1), "c", "vi", None)
    broadcasts = Broadcasts(db, clock, Outbox(db, clock))
    later = clock.now() + timedelta(hours=1)
    kept = await draft_for(broadcasts, send_at=later)
    assert (await broadcasts.confirm(AUTHOR, kept)).state == "scheduled"
    dropped = await draft_for(broadcasts, send_at=later)  # a new draft drops only open drafts
    await broadcasts.confirm(AUTHOR, dropped)
    assert await broadcasts.cancel(dropped) is True
    assert await broadcasts.release_due() == []
    clock.advance(timedelta(hours=1))
    assert await broadcasts.release_due() == [kept]
    assert await broadcasts.release_due() == []
    assert [b.id for b in await broadcasts.scheduled()] == []
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 1


async def test_an_empty_audience_ends_at_once_and_a_sent_out_one_is_closed(
    db: Database, clock: ManualClock
) -> None:
    outbox = Outbox(db, clock)
    broadcasts = Broadcasts(db, clock, outbox)
    empty = await broadcasts.confirm(
        AUTHOR, await draft_for(broadcasts, audience=Audience("village", ("mars",)))
    )
    assert empty.state == "done" and empty.total == 0
    await CitizenRepository(db, clock).create(Recipient.telegram(1), "c", "vi", None)
    sent = await broadcasts.confirm(AUTHOR, await draft_for(broadcasts))
    await db.execute("UPDATE outbox SET state = 'sent'")  # sent, then a crash before closing
    await broadcasts.release_due()
    closed = await broadcasts.get(sent.id)
    assert closed is not None and closed.state == "done"
