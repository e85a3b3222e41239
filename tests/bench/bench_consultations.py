"""Benchmark of a village vote (`make bench`; not part of the test suite).

The real bot (`python -m bot run`) and the sandbox Bot API run in separate
processes, as in bench_broadcast.py: the presses are played by the sandbox
process (`vote_load.py`), so generating the load costs the bot nothing.
5,000 subscribers get the invitation through the outbox; then, with the
sandbox enforcing Telegram's limits, each presses an option within one minute
(one in five changes their mind a moment later). It prints the presses'
reply times (press -> answerCallbackQuery), checks that no answer was lost
(one stored answer per voter, each voter's last choice) and that the tally
recomputed from the events equals the live counts.
`--quick` runs 500 voters over 10 seconds to check the script itself;
`--profile FILE` profiles the bot (cProfile) during the vote and writes the statistics there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench_broadcast import proc_status, remaining  # this folder is sys.path[0]

from bot.consultations.actions import ConsultAnswer
from bot.consultations.repository import ConsultationRepository
from bot.consultations.service import ConsultationService, Proposal
from bot.core.clock import SystemClock, to_db
from bot.core.config import load_settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.outbox import Outbox, OutboxNotifier
from bot.outreach.broadcasts import Broadcasts
from bot.people.officers import OfficerRepository

HERE = Path(__file__).resolve().parent
FIRST_USER = 2_000_000
CHANGE_SHARE = 0.2
OPTIONS = ("Đồng ý", "Không đồng ý", "Ý kiến khác")


async def prepare(folder: Path, voters: int) -> int:
    """Subscribers in bulk and one open consultation to all of them; returns its id."""
    database = folder / "bench.db"
    db = await Database.open(database)
    clock = SystemClock()
    now = to_db(clock.now())
    try:
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO citizens (channel, external_id, display_name, village_id, onboarded,"
                " created_at, updated_at) VALUES ('telegram', ?, 'Dân', ?, 1, ?, ?)",
                [(str(FIRST_USER + i), "dong-tam" if i % 2 else "tan-hung", now, now)
                 for i in range(voters)],
            )  # fmt: skip
        settings = load_settings(
            {"DATABASE_URL": f"sqlite:///{database}"},
            config_path=folder / "config.toml",
            dotenv_path=folder / "absent.env",
        )
        outbox = Outbox(db, clock)
        service = ConsultationService(
            db, clock, settings, Broadcasts(db, clock, outbox), outbox,
            OfficerRepository(db, clock), OutboxNotifier(outbox),
        )  # fmt: skip
        proposal = Proposal(
            title="Làm đường liên thôn", question="Bà con có đồng ý không?", options=OPTIONS,
            closes_at=clock.now() + timedelta(days=3),
        )  # fmt: skip
        return (await service.open(Recipient("cli", "bench"), None, proposal)).id
    finally:
        await db.close()


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of a process's main thread (the event loop) and of its other threads
    (SQLite's), and how much of each was spent in the kernel (system calls, fsync)."""
    ticks = os.sysconf("SC_CLK_TCK")
    spent: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = task.joinpath("stat").read_text().rsplit(")", 1)[1].split()
        name = "event loop" if task.name == str(pid) else "other threads"
        user, kernel = int(fields[11]) / ticks, int(fields[12]) / ticks
        spent[name] = spent.get(name, 0.0) + user + kernel
        spent[f"{name} in the kernel"] = spent.get(f"{name} in the kernel", 0.0) + kernel
    return spent


def plan_votes(consultation_id: int, voters: int, window: float) -> tuple[list, dict[int, int]]:  # type: ignore[type-arg]
    """Who presses what when: `[second, user id, data]`, and each voter's last choice."""
    rng = random.Random(14)
    plan: list[tuple[float, int, str]] = []
    last: dict[int, int] = {}
    for i in range(voters):
        at, option = rng.uniform(0, window * 0.9), rng.randrange(3)
        plan.append((at, FIRST_USER + i, ConsultAnswer(consultation_id, option).pack()))
        last[i] = option
        if rng.random() < CHANGE_SHARE:
            changed = (option + 1) % 3
            later = at + rng.uniform(0.5, window * 0.1)
            plan.append((later, FIRST_USER + i, ConsultAnswer(consultation_id, changed).pack()))
            last[i] = changed
    plan.sort()
    return plan, last


class Sandbox:
    """The sandbox process and its line protocol."""

    def __init__(self, voters: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "sandbox_process.py"), "--users", str(voters),
             "--first-user", str(FIRST_USER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        _, self.root_url, self.token = self.ask(None).split()

    def ask(self, line: str | None) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        if line is not None:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        return self.process.stdout.readline()

    def close(self) -> None:
        self.ask("quit")
        self.process.wait(30)


def run(voters: int, window: float, profile: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-consult-") as tmp:
        folder = Path(tmp)
        # The invitation goes out fast (limits lifted); the vote itself runs at Telegram's limits.
        (folder / "config.toml").write_text(
            "[broadcast]\nallow_any_rate = true\nrate = 0\n", encoding="utf-8"
        )
        consultation_id = asyncio.run(prepare(folder, voters))
        plan, last = plan_votes(consultation_id, voters, window)
        (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        sandbox = Sandbox(voters)
        env = {
            **os.environ, "BOT_TOKEN": sandbox.token, "BOT_API_URL": sandbox.root_url,
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "DANVAN_CONFIG": str(folder / "config.toml"), "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        # Under --profile, only the vote is profiled (see profiled_bot.py).
        entry = [str(HERE / "profiled_bot.py"), str(profile)] if profile else ["-m", "bot"]
        bot = subprocess.Popen([sys.executable, *entry, "run"], env=env, cwd=folder)
        try:
            started = time.monotonic()
            while remaining(folder / "bench.db")[0]:
                time.sleep(0.5)
            print(f"invitation delivered to {voters} in {time.monotonic() - started:.1f} s")
            assert sandbox.ask("limits on").strip() == "ok"
            cpu_before, threads_before = proc_status(bot.pid)[1], thread_cpu(bot.pid)
            if profile:
                bot.send_signal(signal.SIGUSR1)
            figures = json.loads(sandbox.ask(f"vote {folder / 'plan.json'}"))
            cpu = proc_status(bot.pid)[1] - cpu_before
            threads = thread_cpu(bot.pid)
            print("bot CPU by thread during the vote: " + ", ".join(
                f"{name} {seconds - threads_before.get(name, 0.0):.1f} s"
                for name, seconds in threads.items()
            ))  # fmt: skip
            if profile:
                bot.send_signal(signal.SIGUSR2)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
            sandbox.close()
        return verify(folder / "bench.db", consultation_id, voters, last, figures, window, cpu)


def verify(database: Path, consultation_id: int, voters: int, last: dict[int, int],  # type: ignore[type-arg]
           figures: dict, window: float, cpu: float) -> int:  # fmt: skip
    tally, live, replayed = asyncio.run(read_tally(database, consultation_id))
    expected = tuple(list(last.values()).count(i) for i in range(3))
    answered = sorted(t for t in figures["latencies"] if t is not None)
    unanswered = len(figures["latencies"]) - len(answered)
    p50 = statistics.median(answered)
    p95 = answered[int(0.95 * (len(answered) - 1))]
    print(f"voters {voters}, presses {len(figures['latencies'])} within {window:.0f} s"
          f" (sent in {figures['sent_in']:.1f} s, at most {figures['most_behind']:.2f} s"
          f" behind schedule); bot CPU during the vote {cpu:.1f} s,"
          f" {cpu * 1000 / len(figures['latencies']):.1f} ms a press;"
          f" load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"reply time: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms,"
          f" max {answered[-1] * 1000:.0f} ms; unanswered {unanswered};"
          f" 429s {figures['rejected_429']}")  # fmt: skip
    print(f"answers stored {tally.respondents} (expected {voters}); by option {tally.by_option()}"
          f" (expected {expected})")  # fmt: skip
    print(f"tally replayed from the events equals the live counts: {replayed == live}")
    ok = tally.respondents == voters and tally.by_option() == expected and replayed == live
    ok = ok and unanswered == 0 and p95 < 2.0
    print("OK" if ok else "FAILED: answers lost, tally differs from events, or p95 >= 2 s")
    return 0 if ok else 1


async def read_tally(database: Path, consultation_id: int):  # type: ignore[no-untyped-def]
    db = await Database.open(database)
    try:
        repo = ConsultationRepository(db, SystemClock())
        return (
            await repo.tally(consultation_id),
            await repo.live(consultation_id),
            await repo.replayed(consultation_id),
        )
    finally:
        await db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 voters over 10 s")
    parser.add_argument("--profile", type=Path, help="write the bot's cProfile statistics here")
    args = parser.parse_args()
    voters, window = (500, 10.0) if args.quick else (5000, 60.0)
    print(
        f"Vote benchmark on {os.cpu_count()} cores; the bot and the sandbox in separate processes."
    )
    return run(voters, window, args.profile)


if __name__ == "__main__":
    sys.exit(main())
