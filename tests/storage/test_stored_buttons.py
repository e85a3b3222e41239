"""Buttons in stored messages: actions survive the outbox's JSON, and old rows stay readable."""

from __future__ import annotations

import json
import logging

import pytest

from bot.cases.actions import CaseAccept, IntakeVillage, TrackRate
from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.duties.actions import DutyDone
from bot.messaging.channels import Recipient
from bot.messaging.messages import Attachment, Button, OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.actions import NewsOpen

LAN = Recipient.telegram(1001)


def test_a_message_with_actions_and_links_round_trips_through_json() -> None:
    message = OutgoingMessage(
        "Hồ sơ <b>PA-7KX4M</b>",
        html=True,
        attachment=Attachment("document", "path:/tmp/a.pdf", "a.pdf"),
        buttons=(
            (Button("Thụ lý", CaseAccept(42)), Button("⭐", TrackRate(42, 5))),
            (Button("Khác", IntakeVillage(None)), Button("Cổng", url="https://x.gov.vn")),
        ),
    )
    assert OutgoingMessage.from_json(message.to_json()) == message


def test_a_button_is_stored_as_its_packed_data() -> None:
    stored = json.loads(OutgoingMessage("x", buttons=((Button("Xong", DutyDone(7)),),)).to_json())
    assert stored["buttons"] == [[{"label": "Xong", "data": "duty:done:7", "url": None}]]


# What rows written before actions existed hold: the same keys, data built by hand.
OLD_ROW = {
    "text": "Nhắc việc",
    "html": False,
    "attachment": None,
    "buttons": [
        [{"label": "✅ Xong", "data": "duty:done:7", "url": None}],
        [{"label": "Đọc", "data": "news:open:le-hoi", "url": None}],
        [{"label": "Cổng", "data": None, "url": "https://x.gov.vn"}],
    ],
}


async def test_rows_queued_before_actions_are_claimed_with_their_actions(
    db: Database, clock: ManualClock
) -> None:
    outbox = Outbox(db, clock)
    row_id = await outbox.enqueue(LAN, OutgoingMessage("placeholder"))
    old = json.dumps(OLD_ROW, ensure_ascii=False)
    await db.execute("UPDATE outbox SET message = ? WHERE id = ?", (old, row_id))
    (row,) = await outbox.claim(10)
    assert row.message is not None and row.message.buttons == (
        (Button("✅ Xong", DutyDone(7)),),
        (Button("Đọc", NewsOpen("le-hoi")),),
        (Button("Cổng", url="https://x.gov.vn"),),
    )


def test_a_stored_button_that_names_no_action_any_more_is_dropped_not_the_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    row = {**OLD_ROW, "buttons": [[{"label": "Cũ", "data": "gone:1", "url": None}]]}
    with caplog.at_level(logging.WARNING):
        message = OutgoingMessage.from_json(json.dumps(row))
    assert message.text == "Nhắc việc" and message.buttons == ()
    assert "gone:1" in caplog.text
