"""`python -m bot content check` and `python -m bot broadcast` from the command line.

Run in the test's process (`tests/cli.py`); `python -m bot` itself is spawned in
`test_officers_and_help.py`, `test_check.py` and `test_make_run.py`.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from bot.core.clock import ManualClock
from bot.core.config import Settings
from sandbox import SandboxServer
from tests.cli import run_cli
from tests.e2e.outreach import copies, seed_citizens
from tests.unit.test_library_files import GOOD


def cli(
    settings: Settings,
    *args: str,
    sandbox: SandboxServer | None = None,
    extra: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{settings.database_path}",
        "DANVAN_CONFIG": "/nonexistent.toml",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("BOT_TOKEN", None)
    if sandbox is not None:
        env.update(BOT_TOKEN=sandbox.token, BOT_API_URL=sandbox.root_url)
    env.update(extra or {})
    return run_cli(*args, env=env)


def test_content_check_names_each_bad_file_and_line(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.md").write_text(
        GOOD.replace("kind: model_story", "kind: tin"), encoding="utf-8"
    )
    bad = cli(settings, "content", "check", "--folder", str(tmp_path))
    assert bad.returncode == 1
    assert bad.stderr.startswith("bad.md:3: kind 'tin': one of model_story")
    assert "1 items OK, 1 files with errors" in bad.stdout
    shipped = cli(settings, "content", "check")
    assert shipped.returncode == 0 and "0 files with errors" in shipped.stdout


async def test_broadcast_from_the_command_line_delivers_and_prints_progress(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock
) -> None:
    ids = await seed_citizens(
        settings,
        clock,
        sandbox,
        range(60_000, 60_012),
        village=lambda i: ("dong-tam", "viet-tien")[i % 2],
    )
    sent = await asyncio.to_thread(
        cli,
        settings,
        "broadcast",
        "--text",
        "Lịch cắt điện thôn Đồng Tâm",
        "--audience",
        "village:dong-tam",
        sandbox=sandbox,
    )
    assert sent.returncode == 0, sent.stderr
    assert "Broadcast #1: 6 recipients" in sent.stdout
    assert "sent 6 · failed 0 · blocked 0 · remaining 0" in sent.stdout
    for user_id in ids:
        assert copies(sandbox, user_id, "Lịch cắt điện") == (1 if user_id % 2 == 0 else 0)

    later = await asyncio.to_thread(
        cli,
        settings,
        "broadcast",
        "--item",
        "lich-tiep-cong-dan-chu-tich",
        "--at",
        "25/12 8:00",
        sandbox=sandbox,
    )
    assert later.returncode == 0 and "Scheduled broadcast #2" in later.stdout
    wrong = await asyncio.to_thread(
        cli, settings, "broadcast", "--text", "x", "--audience", "village:mars"
    )
    assert wrong.returncode == 2 and "unknown village 'mars'" in wrong.stderr
    past = await asyncio.to_thread(cli, settings, "broadcast", "--text", "x", "--at", "hôm qua")
    assert past.returncode == 2 and "--at" in past.stderr


async def test_with_the_bot_running_the_command_line_queues_and_watches(
    sandbox: SandboxServer, settings: Settings, clock: ManualClock, start_bot
) -> None:
    ids = await seed_citizens(settings, clock, sandbox, range(61_000, 61_004))
    bot = await start_bot()
    # The command line leaves the sending to the bot holding the sender's lease,
    # which the bot's sender takes in a task of its own: wait until it holds it.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while not await bot.services.db.scalar("SELECT owner FROM delivery_lease WHERE id = 1"):
        assert loop.time() < deadline, "the running bot never took the sender's lease"
        await asyncio.sleep(0.02)
    watched = await asyncio.to_thread(
        cli, settings, "broadcast", "--text", "Tin từ dòng lệnh", sandbox=sandbox
    )
    assert watched.returncode == 0, watched.stderr
    assert "The running bot is delivering it" in watched.stdout and "remaining 0" in watched.stdout
    assert all(copies(sandbox, i, "Tin từ dòng lệnh") == 1 for i in ids)
