"""Helpers for the broadcast tests: subscribers in bulk, fast settings, waiting for delivery."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bot.core.clock import ManualClock, to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import ZALO_OA_SPEC, Recipient
from bot.people.citizens import CitizenRepository
from sandbox import SandboxServer


def with_broadcast(settings: Settings, **broadcast: Any) -> Settings:
    """Settings whose `[broadcast]` table is `broadcast` (on top of fast test defaults)."""
    table = {"progress_seconds": 0.3, "schedule_check_seconds": 0.1, "retry_backoff": 0.05}
    table.update(broadcast)
    return replace(settings, sections={**settings.sections, "broadcast": table})


async def seed_citizens(
    settings: Settings,
    clock: ManualClock,
    sandbox: SandboxServer,
    ids: Iterable[int],
    village: str | Callable[[int], str | None] | None = "dong-tam",
    topics: Callable[[int], Iterable[str]] = lambda _id: (),
) -> list[int]:
    """Subscribed, onboarded citizens straight in the database, and their sandbox chats."""
    ids = list(ids)
    now = to_db(clock.now())
    db = await Database.open(settings.database_path)
    try:
        async with db.transaction() as tx:
            for user_id in ids:
                sandbox.user(user_id, first_name=f"Dân {user_id}")
                place = village(user_id) if callable(village) else village
                row_id = await tx.execute(
                    "INSERT INTO citizens (channel, external_id, display_name, village_id,"
                    " onboarded, created_at, updated_at) VALUES ('telegram', ?, ?, ?, 1, ?, ?)",
                    (str(user_id), f"Dân {user_id}", place, now, now),
                )
                await tx.executemany(
                    "INSERT INTO citizen_topics (citizen_id, topic_id) VALUES (?, ?)",
                    [(row_id, t) for t in topics(user_id)],
                )
    finally:
        await db.close()
    return ids


async def until(check: Callable[[], bool], timeout: float = 120.0, what: str = "condition") -> None:  # noqa: ASYNC109
    """Wait until `check()` is true."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def copies(sandbox: SandboxServer, user_id: int, needle: str) -> int:
    """How many of the bot's messages in a chat contain `needle`."""
    chat = sandbox.state.chats.get(user_id)
    if chat is None:
        return 0
    return sum(
        1
        for message_id in chat.bot_message_ids
        if needle in (chat.messages[message_id].data.get("text") or "")
        or needle in (chat.messages[message_id].data.get("caption") or "")
    )


async def seed_silent_oa_citizens(settings: Settings, clock: ManualClock, *ids: str) -> None:
    """Subscribers of the Official Account who never wrote to it: outside any window."""
    db = await Database.open(settings.database_path)
    try:
        for user_id in ids:
            await CitizenRepository(db, clock).create(
                Recipient(ZALO_OA_SPEC.name, user_id), "Dân Zalo", "vi", "dong-tam"
            )
    finally:
        await db.close()
