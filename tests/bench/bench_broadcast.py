"""Benchmark of broadcast delivery (`make bench`; not part of the test suite).

Runs the real bot (`python -m bot run`) against the sandbox, each in its own
process, and prints:
1. the achieved rate as a fraction of the limit: 3,000 recipients at 30/s with
   the sandbox enforcing Telegram's limits (30/s, 1/s per chat), and its 429s;
2. the same with 60 notifications to one officer queued ahead of the
   broadcast (one chat takes one a second): the broadcast's own pace;
3. the sender's ceiling with limits lifted (messages/s);
4. the bot process's peak RSS while sending to 100,000 subscribers;
5. in process, with instant fake channels: a broadcast to Telegram (25/s)
   and Zalo Bot (5/s) citizens, Zalo's rows queued first: how fast the
   Telegram rows go, with Zalo's pace kept by the sender (rows wait in
   SQLite) and, for comparison, waited inside the channel (rows wait in an
   in-flight slot, as before).
`--quick` runs small sizes to check the script itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.messaging.channels import TELEGRAM, ZALO_BOT_SPEC, Recipient, rates_of
from bot.messaging.delivery import Delivery
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Lease, Outbox
from bot.messaging.pacing import Pacer
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts

HERE = Path(__file__).resolve().parent
FIRST_USER = 1_000_000
OFFICER = 999_999  # outside the citizens' range: the sandbox's figures leave it out
TEXT = "Thông báo của UBND xã: lịch tiêm chủng mở rộng tháng này tại trạm y tế xã."


@dataclass
class Result:
    """What one run measured."""

    users: int
    seconds: float
    rate: float
    rejected_429: int
    missing: int
    duplicates: int
    failed: int
    peak_rss_mb: float
    cpu_seconds: float
    sandbox_cpu_seconds: float


async def prepare(database: Path, users: int, backlog: int = 0) -> None:
    """Citizens in bulk and one broadcast to all of them, queued (rows in the outbox).

    With `backlog`, that many notifications to one officer are queued first.
    """
    db = await Database.open(database)
    try:
        outbox = Outbox(db, SystemClock())
        for n in range(backlog):
            await outbox.enqueue(Recipient.telegram(OFFICER), OutgoingMessage(f"{TEXT} ({n})"))
        now = "2026-01-01T00:00:00+00:00"
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO citizens (channel, external_id, village_id, onboarded, created_at,"
                " updated_at) VALUES ('telegram', ?, 'dong-tam', 1, ?, ?)",
                [(str(FIRST_USER + i), now, now) for i in range(users)],
            )
        broadcasts = Broadcasts(db, SystemClock(), outbox)
        author = Recipient("cli", "bench")
        draft = await broadcasts.start_draft(author, None)
        await broadcasts.update_draft(
            author, draft.id, message=OutgoingMessage(TEXT), audience=Audience()
        )
        await broadcasts.confirm(author, draft.id)
    finally:
        await db.close()


def proc_status(pid: int) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds) of a process, from /proc."""
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    peak = int(fields["VmHWM"].split()[0]) / 1024
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return peak, (int(stat[11]) + int(stat[12])) / ticks


def remaining(database: Path, broadcast_only: bool = False) -> tuple[int, int]:
    only = " AND broadcast_id IS NOT NULL" if broadcast_only else ""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        pending = conn.execute(
            f"SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending'){only}"
        ).fetchone()[0]
        failed = conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'failed'").fetchone()[0]
    return pending, failed


def run(users: int, limits: bool, table: str, timeout: float, backlog: int = 0) -> Result:
    """Deliver one broadcast to `users` and measure it (the officer's backlog may remain)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = folder / "bench.db"
        asyncio.run(prepare(database, users, backlog))
        (folder / "config.toml").write_text(f"[broadcast]\n{table}\n", encoding="utf-8")
        sandbox = subprocess.Popen(
            [sys.executable, str(HERE / "sandbox_process.py"), "--users", str(users)]
            + ["--also", str(OFFICER)]
            + (["--limits"] if limits else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert sandbox.stdin is not None and sandbox.stdout is not None
        _, root_url, token = sandbox.stdout.readline().split()
        sandbox_setup_cpu = proc_status(sandbox.pid)[1]  # users created: not part of the run
        env = {
            **os.environ,
            "BOT_TOKEN": token,
            "BOT_API_URL": root_url,
            "DATABASE_URL": f"sqlite:///{database}",
            "DANVAN_CONFIG": str(folder / "config.toml"),
            "LOG_LEVEL": "WARNING",
        }
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=folder)
        try:
            deadline = time.monotonic() + timeout
            while remaining(database)[0] > backlog and time.monotonic() < deadline:
                time.sleep(0.5)
            while backlog and remaining(database, broadcast_only=True)[0]:
                time.sleep(0.5)  # the officer's rows may still wait: the broadcast is what counts
            peak, cpu = proc_status(bot.pid)
            failed = remaining(database)[1]
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(30)
        sandbox.stdin.write("stats\n")
        sandbox.stdin.flush()
        stats = json.loads(sandbox.stdout.readline())
        sandbox.stdin.write("quit\n")
        sandbox.stdin.flush()
        sandbox.wait(30)
    seconds = stats["last"] - stats["first"]
    return Result(
        users=users,
        seconds=seconds,
        rate=(stats["ok_sends"] - 1) / seconds if seconds > 0 else 0.0,
        rejected_429=stats["rejected_429"],
        missing=stats["missing"],
        duplicates=stats["duplicates"],
        failed=failed,
        peak_rss_mb=peak,
        cpu_seconds=cpu,
        sandbox_cpu_seconds=stats["cpu_seconds"] - sandbox_setup_cpu,
    )


class Instant:
    """A channel that answers at once and notes when; `pacer`: it waits its own pace first.
    `done` is set at the `expected`-th send."""

    def __init__(self, name: str, expected: int, pacer: Pacer | None = None) -> None:
        self.name = name
        self.times: list[float] = []
        self.done = asyncio.Event()
        self._expected = expected
        self._pacer = pacer

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        if self._pacer is not None:
            await self._pacer.wait()
        self.times.append(time.monotonic())
        if len(self.times) >= self._expected:
            self.done.set()
        return str(len(self.times))


async def mixed(telegram: int, zalo: int, inside: bool) -> tuple[float, float]:
    """(Telegram's, Zalo Bot's) messages/s from the sender's start to each one's last send,
    Zalo's rows queued first; `inside`: Zalo's pace waited in the channel, in a slot."""
    with tempfile.TemporaryDirectory() as folder:
        db = await Database.open(Path(folder) / "mixed.db")
        try:
            outbox = Outbox(db, SystemClock())
            for n in range(zalo):
                await outbox.enqueue(Recipient(ZALO_BOT_SPEC.name, str(n)), OutgoingMessage(TEXT))
            for n in range(telegram):
                await outbox.enqueue(Recipient.telegram(FIRST_USER + n), OutgoingMessage(TEXT))
            own = Pacer(ZALO_BOT_SPEC.rate, DeliveryPolicy().margin) if inside else None
            tg, zb = Instant(TELEGRAM, telegram), Instant(ZALO_BOT_SPEC.name, zalo, own)
            rates = {} if inside else rates_of((ZALO_BOT_SPEC,))
            channels = {TELEGRAM: tg, ZALO_BOT_SPEC.name: zb}
            delivery = Delivery(outbox, Lease(db), channels, DeliveryPolicy(), rates=rates)
            start = time.monotonic()
            task = asyncio.create_task(delivery.run())
            await asyncio.gather(tg.done.wait(), zb.done.wait())
            await delivery.stop()
            await task
        finally:
            await db.close()
    return telegram / (tg.times[-1] - start), zalo / (zb.times[-1] - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script")
    args = parser.parse_args()
    at_limit, beside, ceiling, memory = (
        (300, 150, 2_000, 5_000) if args.quick else (3_000, 900, 20_000, 100_000)
    )
    print(
        f"Broadcast benchmark on {os.cpu_count()} cores; the bot and the sandbox in separate processes."
    )

    limited = run(at_limit, True, "rate = 30", timeout=at_limit / 20 + 60)
    print(
        f"1. {limited.users:,} recipients at a 30/s limit (sandbox enforcing 30/s, 1/s per chat): "
        f"{limited.rate:.2f} msg/s = {limited.rate / 30:.3f} of the limit (goal >= 0.95); "
        f"429s received: {limited.rejected_429}, failed: {limited.failed}, "
        f"missing: {limited.missing}, duplicates: {limited.duplicates}"
    )
    busy = run(beside, True, "rate = 30", timeout=beside / 20 + 60, backlog=60)
    print(
        f"2. {busy.users:,} recipients at 30/s with 60 notifications to one officer queued ahead: "
        f"the broadcast at {busy.rate:.2f} msg/s = {busy.rate / 30:.3f} of the limit "
        f"(goal >= 0.8); 429s: {busy.rejected_429}, missing: {busy.missing}, "
        f"duplicates: {busy.duplicates}"
    )
    lifted = run(ceiling, False, "allow_any_rate = true\nrate = 0", timeout=600)
    print(
        f"3. Sender's ceiling, limits lifted, {lifted.users:,} recipients: {lifted.rate:,.0f} msg/s "
        f"(goal >= 300, ten times Telegram's limit); over {lifted.seconds:.1f} s the bot used "
        f"{lifted.cpu_seconds:.1f} s of CPU (start-up included) and the sandbox "
        f"{lifted.sandbox_cpu_seconds:.1f} s; missing: {lifted.missing}, "
        f"duplicates: {lifted.duplicates}"
    )
    big = run(memory, False, "allow_any_rate = true\nrate = 0", timeout=1800)
    print(
        f"4. {big.users:,} subscribers: bot peak RSS {big.peak_rss_mb:.0f} MB (goal < 150 MB); "
        f"sent at {big.rate:,.0f} msg/s; missing: {big.missing}, duplicates: {big.duplicates}"
    )
    print_mixed(args.quick)


def print_mixed(quick: bool) -> None:
    telegram, zalo = (100, 20) if quick else (250, 50)
    kept = asyncio.run(mixed(telegram, zalo, inside=False))
    waited = asyncio.run(mixed(telegram, zalo, inside=True))
    print(
        f"5. {telegram} Telegram and {zalo} Zalo Bot rows, Zalo's first (fake channels, in "
        f"process): Telegram at {kept[0]:.1f} msg/s (goal: its 25/s), Zalo at {kept[1]:.1f} "
        f"(its 5/s); with Zalo's pace waited in a slot instead: Telegram at {waited[0]:.1f}, "
        f"Zalo at {waited[1]:.1f}"
    )


if __name__ == "__main__":
    main()
