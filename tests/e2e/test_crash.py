"""Kill the bot with SIGKILL in the middle of a broadcast, restart it: nothing lost, little repeated."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bot.core.clock import ManualClock, SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from sandbox import SandboxServer
from tests.e2e.outreach import seed_citizens, until

# The kill must land mid-broadcast whatever the machine's load: after KILL_AFTER
# deliveries, the rest takes (SUBSCRIBERS - KILL_AFTER) / RATE = 4.8 s to send,
# as it did with 1,000 subscribers at 150/s, for a third of the sends.
SUBSCRIBERS = 300
KILL_AFTER = 60
RATE = 50
TEXT = "Thông báo lịch tiêm chủng mở rộng"


def start_bot_process(
    settings: Settings, sandbox: SandboxServer, tmp: Path, run: int
) -> subprocess.Popen[bytes]:
    config = tmp / "config.toml"
    config.write_text(f"[broadcast]\nallow_any_rate = true\nrate = {RATE}\n", encoding="utf-8")
    env = {
        **os.environ,
        "BOT_TOKEN": sandbox.token,
        "BOT_API_URL": sandbox.root_url,
        "DATABASE_URL": f"sqlite:///{settings.database_path}",
        "DANVAN_CONFIG": str(config),
        "LOG_LEVEL": "WARNING",
    }
    with (tmp / f"bot-{run}.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def received(sandbox: SandboxServer, ids: list[int]) -> Counter[int]:
    counts: Counter[int] = Counter()
    for user_id in ids:
        chat = sandbox.state.chats[user_id]
        counts[user_id] = sum(
            TEXT in (chat.messages[m].data.get("text") or "") for m in chat.bot_message_ids
        )
    return counts


async def queue_broadcast(settings: Settings) -> int:
    db = await Database.open(settings.database_path)
    try:
        outbox = Outbox(db, SystemClock())
        broadcasts = Broadcasts(db, SystemClock(), outbox)
        author = Recipient("cli", "test")
        draft = await broadcasts.start_draft(author, None)
        await broadcasts.update_draft(
            author, draft.id, message=OutgoingMessage(TEXT), audience=Audience()
        )
        return (await broadcasts.confirm(author, draft.id)).id
    finally:
        await db.close()


async def in_flight_rows(settings: Settings) -> int:
    db = await Database.open(settings.database_path)
    try:
        return int(await db.scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"))
    finally:
        await db.close()


async def outbox_drained(settings: Settings, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until the bot process has recorded every row (sent or given up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    db = await Database.open(settings.database_path)
    try:
        busy = "SELECT EXISTS (SELECT 1 FROM outbox WHERE state IN ('pending', 'sending'))"
        while await db.scalar(busy):
            if loop.time() > deadline:
                raise AssertionError(f"the outbox did not drain within {timeout}s")
            await asyncio.sleep(0.05)
    finally:
        await db.close()


async def test_sigkill_mid_broadcast_loses_nothing_and_repeats_at_most_the_in_flight(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(100_000, 100_000 + SUBSCRIBERS))
    await queue_broadcast(settings)

    first = start_bot_process(settings, sandbox, tmp_path, 1)
    try:
        # Generous deadlines: they only guard against a hang (a loaded machine
        # starts the bot and sends through PTB slowly); speed is the benchmark's.
        delivered = f"{KILL_AFTER} deliveries"
        await until(lambda: sum(received(sandbox, ids).values()) >= KILL_AFTER, 90, delivered)
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        await asyncio.to_thread(first.wait, 10)
    before = received(sandbox, ids)
    claimed = await in_flight_rows(settings)
    assert KILL_AFTER <= sum(before.values()) < SUBSCRIBERS, "the kill must land mid-broadcast"
    assert claimed <= DeliveryPolicy().in_flight

    second = start_bot_process(settings, sandbox, tmp_path, 2)
    try:
        await until(lambda: min(received(sandbox, ids).values()) >= 1, 90, "every subscriber")
        await outbox_drained(settings)  # every row recorded: no send is left to come
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 15)

    after = received(sandbox, ids)
    duplicates = sum(n - 1 for n in after.values())
    print(
        f"delivered before the kill: {sum(before.values())}, in flight: {claimed}, duplicates: {duplicates}"
    )
    assert set(after.values()) <= {1, 2}
    assert duplicates <= claimed <= DeliveryPolicy().in_flight  # the README's stated bound
    assert second.returncode == 0
