"""Benchmark of a village vote (`make bench`; not part of the test suite).

The real bot (PTB application, handlers, router, service, SQLite) runs in
this process against the sandbox Bot API over HTTP. 5,000 subscribers get the
invitation through the outbox; then, within one minute, each presses an
option (one in five changes their mind a moment later). It prints the
presses' reply times (press -> answerCallbackQuery), checks that no answer
was lost (one stored answer per voter, each voter's last choice) and that the
tally recomputed from the events equals the live counts. The load generator,
the sandbox and the bot share one process: on a loaded machine the presses
themselves fall behind schedule, which the "presses sent in" line shows.
`--quick` runs 500 voters over 10 seconds to check the script itself.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.consultations.actions import ConsultAnswer
from bot.consultations.service import Proposal
from bot.core.clock import ManualClock, to_db
from bot.core.config import load_settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from handlers.telegram.app import build_application
from handlers.telegram.common import SERVICES_KEY
from handlers.telegram.runner import serve
from sandbox import SandboxServer, actions

FIRST_USER = 2_000_000
CHANGE_SHARE = 0.2


async def seed(path: Path, voters: int, clock: ManualClock, sandbox: SandboxServer) -> None:
    db = await Database.open(path)
    now = to_db(clock.now())
    try:
        async with db.transaction() as tx:
            await tx.executemany(
                "INSERT INTO citizens (channel, external_id, display_name, village_id, onboarded,"
                " created_at, updated_at) VALUES ('telegram', ?, 'Dân', ?, 1, ?, ?)",
                [(str(FIRST_USER + i), "dong-tam" if i % 2 else "tan-hung", now, now)
                 for i in range(voters)],
            )  # fmt: skip
    finally:
        await db.close()
    for i in range(voters):
        sandbox.user(FIRST_USER + i, first_name="Dân")


async def run(voters: int, window: float) -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-consult-"))
    clock = ManualClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    sandbox = SandboxServer(personas=[])
    await sandbox.start("127.0.0.1", 0)
    base = load_settings(
        {"DATABASE_URL": f"sqlite:///{folder}/danvan.db", "LOG_LEVEL": "WARNING"},
        config_path=folder / "absent.toml",
        dotenv_path=folder / "absent.env",
    )
    broadcast = {"allow_any_rate": True, "rate": 1000, "progress_seconds": 5}
    settings = replace(
        base, bot_token=sandbox.token, bot_api_url=sandbox.root_url,
        sections={**base.sections, "broadcast": broadcast},
    )  # fmt: skip
    await seed(settings.database_path, voters, clock, sandbox)
    app = build_application(settings, clock)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, settings, stop, poll_timeout=1))
    try:
        while not (app.running and app.updater is not None and app.updater.running):  # noqa: ASYNC110 - PTB offers no event
            await asyncio.sleep(0.05)
        return await measure(app, sandbox, clock, voters, window)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await sandbox.stop()


async def measure(app, sandbox, clock, voters: int, window: float) -> int:  # type: ignore[no-untyped-def]
    svc = app.bot_data[SERVICES_KEY]
    proposal = Proposal(
        title="Làm đường liên thôn", question="Bà con có đồng ý không?",
        options=("Đồng ý", "Không đồng ý", "Ý kiến khác"),
        closes_at=clock.now() + timedelta(days=3),
    )  # fmt: skip
    started = time.perf_counter()
    consultation = await svc.consultations.open(Recipient("cli", "bench"), None, proposal)
    state = sandbox.state
    chats = [state.user(FIRST_USER + i) for i in range(voters)]
    while sum(1 for u in chats if state.chats[u.id].bot_message_ids) < voters:  # noqa: ASYNC110
        await asyncio.sleep(0.2)
    print(f"invitation delivered to {voters} in {time.perf_counter() - started:.1f} s")

    rng = random.Random(14)
    plan: list[tuple[float, int, int]] = []  # (second, user index, option)
    last: dict[int, int] = {}
    for i in range(voters):
        at, option = rng.uniform(0, window * 0.9), rng.randrange(3)
        plan.append((at, i, option))
        last[i] = option
        if rng.random() < CHANGE_SHARE:
            changed = (option + 1) % 3
            plan.append((at + rng.uniform(0.5, window * 0.1), i, changed))
            last[i] = changed
    plan.sort()
    latencies = await press_all(state, chats, consultation.id, plan)
    return await verify(svc, consultation.id, voters, last, latencies, window)


async def press_all(state, chats, consultation_id: int, plan) -> list[float]:  # type: ignore[no-untyped-def]
    """Press on schedule; one watcher notes when each press was answered."""
    pending: dict[str, float] = {}
    latencies: list[float] = []
    begin = time.perf_counter()

    async def watch() -> None:
        while pending or not done.is_set():
            now = time.perf_counter()
            for query_id in [q for q in pending if state.callback_queries[q].answered]:
                latencies.append(now - pending.pop(query_id))
            await asyncio.sleep(0.005)

    done = asyncio.Event()
    watcher = asyncio.create_task(watch())
    for at, index, option in plan:
        delay = begin + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        user = chats[index]
        chat = state.chats[user.id]
        message_id = chat.bot_message_ids[0]
        data = ConsultAnswer(consultation_id, option).pack()
        query = actions.callback(state, user, chat, message_id, data)
        pending[query.id] = time.perf_counter()
    done.set()
    await asyncio.wait_for(watcher, 300)
    print(f"{len(plan)} presses sent in {time.perf_counter() - begin:.1f} s")
    return latencies


async def verify(svc, consultation_id: int, voters: int, last, latencies, window: float) -> int:  # type: ignore[no-untyped-def]
    tally = await svc.consultations.repo.tally(consultation_id)
    expected = tuple(list(last.values()).count(i) for i in range(3))
    live = {(v, o): n for v, counts in tally.online.items() for o, n in enumerate(counts) if n}
    replayed = await svc.consultations.repo.replayed(consultation_id)
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"voters {voters}, presses {len(latencies)} within {window:.0f} s")
    print(
        f"reply time: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )
    print(f"answers stored {tally.online_total} (expected {voters}); by option {tally.by_option()}"
          f" (expected {expected})")  # fmt: skip
    print(f"tally replayed from the events equals the live counts: {replayed == live}")
    ok = tally.online_total == voters and tally.by_option() == expected and replayed == live
    ok = ok and p95 < 2.0
    print("OK" if ok else "FAILED: answers lost, tally differs from events, or p95 >= 2 s")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 voters over 10 s")
    args = parser.parse_args()
    voters, window = (500, 10.0) if args.quick else (5000, 60.0)
    return asyncio.run(run(voters, window))


if __name__ == "__main__":
    sys.exit(main())
