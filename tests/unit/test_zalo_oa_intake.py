"""Taking OA events in: one follower's in their order, once each, nothing a week old."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.core.clock import ManualClock
from bot.core.db import Database
from bot.messaging.files import FileStore
from handlers.zalo_oa.events import Intake


class Nobody:
    """Subscriptions and buttons of a follower who has none."""

    async def mark_blocked(self, recipient: Any, blocked: bool = True) -> None:
        return None

    async def choice(self, user_id: str, text: str) -> None:
        return None


def event(name: str, user: str, msg_id: str, **message: Any) -> dict[str, Any]:
    return {
        "event_name": name,
        "sender": {"id": user},
        "timestamp": str(int(time.time() * 1000)),
        "message": {"msg_id": msg_id, **message},
    }


async def test_a_followers_events_keep_their_order_while_a_photo_downloads(
    db: Database, tmp_path: Path, clock: ManualClock
) -> None:
    release = asyncio.Event()

    async def slow_download(url: str) -> bytes:
        await release.wait()
        return b"photo bytes"

    files = FileStore(db, tmp_path / "files", clock, 1 << 20)
    nobody: Any = Nobody()
    intake = Intake(db, files, nobody, nobody, "zalo_oa", slow_download)
    seen: list[str] = []

    async def put(update: Any) -> None:
        seen.append("photo" if update["message"].get("photo") else update["message"]["text"])

    photo = event(
        "user_send_image", "581", "m1", attachments=[{"type": "image", "payload": {"url": "u"}}]
    )
    text = event("user_send_text", "581", "m2", text="after the photo")
    other = event("user_send_text", "582", "m3", text="another follower")
    tasks = [asyncio.create_task(intake.take(e, put, lambda d: d)) for e in (photo, text, other)]
    await tasks[2]  # another follower is not held up by 581's download
    assert seen == ["another follower"]
    release.set()
    await asyncio.gather(*tasks)
    assert seen == ["another follower", "photo", "after the photo"]
    assert intake._lanes == {}
    await intake.take(text, put, lambda d: d)  # delivered again
    old = {**event("user_send_text", "581", "m9", text="old"), "timestamp": "1000"}
    await intake.take(old, put, lambda d: d)
    assert seen == ["another follower", "photo", "after the photo"]


def shaped(kind_of: str, user: str, msg_id: str, text: str = "", **payload: Any) -> dict[str, Any]:
    kind = kind_of.removeprefix("user_send_")
    return event(kind_of, user, msg_id, text=text, attachments=[{"type": kind, "payload": payload}])


@pytest.mark.parametrize(
    ("zalo", "check"),
    [
        (event("user_send_text", "581", "t1", text="/track PA-7KX4M"),
         lambda m: m.text == "/track PA-7KX4M" and m.entities[0].type == "bot_command"),
        (shaped("user_send_image", "581", "i1", "ổ gà", url="u", thumbnail="u"),
         lambda m: m.photo[-1].file_id.startswith("file:") and m.caption == "ổ gà"),
        (shaped("user_send_file", "581", "f1", url="u", name="don.pdf", size="9", type="pdf"),
         lambda m: m.document.file_name == "don.pdf"),
        (shaped("user_send_audio", "581", "a1", url="u"),
         lambda m: m.voice is not None and m.voice.file_id.startswith("file:")),
        (shaped("user_send_location", "581", "l1",
                coordinates={"latitude": "21.03", "longitude": "105.85"}),
         lambda m: (m.location.latitude, m.location.longitude) == (21.03, 105.85)),
        (shaped("user_send_sticker", "581", "s1", id="abc", url="u"),
         lambda m: m.sticker is not None),
        ({"event_name": "user_submit_info", "sender": {"id": "581"}, "timestamp": "1",
          "info": {"name": "Lan", "phone": "0987654321", "address": "", "city": "", "district": ""}},
         lambda m: m.contact.phone_number == "0987654321" and m.contact.user_id == 581),
        ({"event_name": "follow", "follower": {"id": "581"}, "timestamp": "2"},
         lambda m: m.text == "/start" and m.entities[0].type == "bot_command"),
    ],
)  # fmt: skip
async def test_each_event_becomes_the_update_telegram_would_send(
    db: Database, tmp_path: Path, clock: ManualClock, zalo: dict[str, Any], check: Any
) -> None:
    async def download(url: str) -> bytes:
        return b"bytes from zalo"

    nobody: Any = Nobody()
    files = FileStore(db, tmp_path / "files", clock, 1 << 20)
    intake = Intake(db, files, nobody, nobody, "zalo_oa", download)
    if zalo["timestamp"] in ("1", "2"):
        zalo["timestamp"] = str(int(time.time() * 1000))
    updates: list[Update] = []

    async def put(update: Update) -> None:
        updates.append(update)

    await intake.take(zalo, put, lambda data: Update.de_json(data, None))
    (update,) = updates
    message = update.effective_message
    assert message is not None and message.chat.id == 581 and update.effective_user is not None
    assert check(message)
