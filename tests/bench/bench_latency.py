"""Benchmark of fair service (`make bench`; not part of the test suite): a new citizen's wait under load.

Runs the real bot (`python -m bot run`) against the sandbox, each in its own
process, the sandbox enforcing Telegram's flood limits (30/s, 1/s per chat,
20/min per group). For each scenario of `load.py` (30 citizens sending 1,200
updates; a group sending 40 commands; one chat sending 60 questions), new
citizens send /start while the load is served, and the script prints their
reply latency (p50, p95, worst). Each scenario runs on a fresh database and
takes at most about a minute and a half. `--only NAME` runs one scenario;
`--profile FILE` profiles the bot (cProfile, CPU time) while it plays, and
writes the statistics there (see profiled_bot.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from profiled_bot import listening, written  # this folder is sys.path[0]

HERE = Path(__file__).resolve().parent
SCENARIOS = {
    "crowd": "30 citizens sending 1,200 updates",
    "group_flood": "a group sending 40 commands (20/min allowed there)",
    "chat_flood": "one chat sending 60 questions (1/s allowed there)",
}
GOAL = 2.0  # seconds, p95


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(scenario: str, limits: bool, profile: Path | None = None) -> dict[str, Any]:
    """Start the sandbox and the bot, play `scenario`, stop both; the sandbox's figures."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.toml").write_text("", encoding="utf-8")
        sandbox = subprocess.Popen(
            [sys.executable, str(HERE / "sandbox_process.py"), "--users", "0"]
            + (["--limits"] if limits else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert sandbox.stdin is not None and sandbox.stdout is not None
        _, root_url, token = sandbox.stdout.readline().split()
        env = {
            **os.environ,
            "BOT_TOKEN": token,
            "BOT_API_URL": root_url,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "DANVAN_CONFIG": str(folder / "config.toml"),
            "LOG_LEVEL": "ERROR",
        }
        entry = [str(HERE / "profiled_bot.py"), str(profile)] if profile else ["-m", "bot"]
        bot = subprocess.Popen([sys.executable, *entry, "run"], env=env, cwd=folder)
        try:
            if profile:
                profile.unlink(
                    missing_ok=True
                )  # an earlier scenario's must not pass for this one's
                listening(bot.pid)
                bot.send_signal(signal.SIGUSR1)
            sandbox.stdin.write(f"load {scenario}\n")
            sandbox.stdin.flush()
            figures: dict[str, Any] = json.loads(sandbox.stdout.readline())
            if profile:
                bot.send_signal(signal.SIGUSR2)
                written(profile)  # before the bot is killed
        finally:
            # The load's backlog is not waited for: a stop would serve it first.
            bot.send_signal(signal.SIGKILL)
            bot.wait(30)
            sandbox.stdin.write("quit\n")
            sandbox.stdin.flush()
            sandbox.wait(30)
    return figures


def seconds(value: float) -> str:
    return "> 60 s (unanswered)" if math.isinf(value) else f"{value:.2f} s"


def describe(figures: dict[str, Any]) -> str:
    answered = [x for x in figures["latencies"] if x is not None]
    # An unanswered probe waited at least the timeout: count it as infinitely late.
    waits = answered + [math.inf] * (len(figures["latencies"]) - len(answered))
    return (
        f"p50 {seconds(percentile(waits, 0.5))}, p95 {seconds(percentile(waits, 0.95))} "
        f"(goal < {GOAL:.0f} s), worst {seconds(max(waits))}, "
        f"unanswered {len(waits) - len(answered)}/{len(waits)}; 429s: {figures['rejected_429']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SCENARIOS), help="run one scenario")
    parser.add_argument("--no-limits", action="store_true", help="the sandbox enforces no limit")
    parser.add_argument("--profile", type=Path, help="write the bot's cProfile statistics here")
    args = parser.parse_args()
    limits = "no limits enforced" if args.no_limits else "Telegram's limits enforced"
    print(
        f"Reply latency of a new citizen's /start under load, on {os.cpu_count()} cores; "
        f"the bot and the sandbox in separate processes, {limits}."
    )
    for number, (name, label) in enumerate(SCENARIOS.items(), 1):
        if args.only in (None, name):
            figures = run(name, limits=not args.no_limits, profile=args.profile)
            # The machine's load says how much CPU the bot and the sandbox could get.
            load = os.getloadavg()[0]
            print(f"{number}. while {label}: {describe(figures)}; load {load:.1f}", flush=True)


if __name__ == "__main__":
    main()
