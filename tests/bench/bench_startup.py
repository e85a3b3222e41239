"""Start-up benchmark (`make bench`, not collected by pytest): `python -m bot run` to first answer.

Each run starts the bot as a process against the sandbox with a fresh
database and a reporting duty whose reminder is due, so a draft report
(charts and Word) is built at start. A citizen's /start is waiting before the
process starts; the figures are the seconds from spawning the process to
the reply (and the CPU time the bot used until then, which a loaded machine
inflates less than the wall time), and to the officer's reminder with the
draft. Asserts nothing.

The bot's modules are compiled to bytecode first, as a deployment does once
(the Dockerfile, the systemd guide) and as Python does itself at the first
start where it may write: compiling them at each start (here
PYTHONDONTWRITEBYTECODE is set) would add about half a second. The load
average is printed with the figures: on a shared machine the wall times
follow it, the CPU time much less.
"""

from __future__ import annotations

import asyncio
import compileall
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bot.core.clock import SystemClock
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.people.officers import OfficerRepository, Role
from sandbox import SandboxServer

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
ROOT = Path(__file__).resolve().parents[2]
# Due on the month's last day, reminded 40 days before: always due at start,
# for the month now running, so the reminder carries a draft.
CALENDAR = """
[[duty]]
id = "report-monthly"
vi = "Báo cáo tháng"
en = "Monthly report"
role = "office"
every = "month"
day = -1
time = "23:59"
remind = ["40d"]
report = "month"
"""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the process used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_run(folder: Path) -> tuple[float, float, float]:
    (folder / "duties.toml").write_text(CALENDAR, encoding="utf-8")
    (folder / "config.toml").write_text(
        f'[duties]\ncalendar = "{folder / "duties.toml"}"\n', encoding="utf-8"
    )
    db = await Database.open(folder / "danvan.db")
    await OfficerRepository(db, SystemClock()).add(Recipient.telegram(2001), "Hoa", {Role.OFFICE})
    await db.close()
    sandbox = SandboxServer(personas=[])
    await sandbox.start()
    hoa, lan = sandbox.user(2001, first_name="Hoa"), sandbox.user(1001, first_name="Lan")
    await lan.start()  # waiting for the bot before it starts
    env = {
        **os.environ,
        "BOT_TOKEN": sandbox.token,
        "BOT_API_URL": sandbox.root_url,
        "DATABASE_URL": f"sqlite:///{folder / 'danvan.db'}",
        "DANVAN_CONFIG": str(folder / "config.toml"),
        "LOG_LEVEL": "WARNING",
    }
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=folder
    )
    try:
        await lan.next_message(timeout=120)
        answered = time.perf_counter() - began
        cpu = cpu_seconds(process.pid)
        reminder = await hoa.wait_for(lambda m: m.kind == "document", timeout=120)
        assert reminder.data["document"]["file_name"].startswith("bao-cao-")
        drafted = time.perf_counter() - began
    finally:
        process.terminate()
        await process.wait()
        await sandbox.stop()
    return answered, cpu, drafted


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


async def main() -> None:
    for package in ("bot", "handlers", "scheduler"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(f"load average {load()}")
    answers, cpus, drafts = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            answered, cpu, drafted = await one_run(Path(folder))
        answers.append(answered)
        cpus.append(cpu)
        drafts.append(drafted)
        print(
            f"  run: /start answered {answered:.2f} s (bot CPU {cpu:.2f} s),"
            f" draft reminder {drafted:.2f} s"
        )
    print(
        f"start-up over {RUNS} runs (process spawn to reply, fresh database, a draft due):"
        f" /start answered in {statistics.median(answers):.2f} s median"
        f" ({min(answers):.2f}-{max(answers):.2f}), bot CPU {statistics.median(cpus):.2f} s;"
        f" the reminder with its draft {statistics.median(drafts):.2f} s; load average {load()}"
    )


if __name__ == "__main__":
    asyncio.run(main())
