"""Taking OA events in: one follower's in their order, once each, nothing a week old."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

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
