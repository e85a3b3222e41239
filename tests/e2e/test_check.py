"""`python -m bot check` asks the Bot API (the sandbox) about the token and the webhook."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from sandbox import SandboxServer
from tests.cli import run_cli

HOOK = "https://bot.example.test/telegram-hook"


async def check(
    tmp_path: Path,
    sandbox: SandboxServer,
    command: str = "check",
    spawn: bool = False,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run the command with the sandbox's token; `spawn`: as an operator would, a new
    `python -m bot` in a folder of its own (no stray .env), else in this process."""
    settings = {
        **os.environ,
        "BOT_TOKEN": sandbox.token,
        "BOT_API_URL": sandbox.root_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/danvan.db",
        "DANVAN_CONFIG": str(tmp_path / "absent.toml"),
        "WEBHOOK_URL": "",
        **env,
    }
    if not spawn:
        return await asyncio.to_thread(run_cli, command, env=settings)
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", command],
        env=settings,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_a_good_token_by_polling_passes(tmp_path: Path, sandbox: SandboxServer) -> None:
    result = await check(tmp_path, sandbox, spawn=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: @danvan_sandbox_bot at http://127.0.0.1:")
    assert "long polling, updates waiting: 0" in result.stdout


async def test_a_refused_token_is_one_line_without_the_token(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    wrong = "7000000001:WRONG_token_WRONG_token_WRONG_token"
    result = await check(tmp_path, sandbox, BOT_TOKEN=wrong)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("BOT_TOKEN: ") and "refused the token" in line
    assert wrong not in result.stderr + result.stdout


async def test_a_webhook_registered_elsewhere_is_one_line(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    sandbox.state.webhook = {
        "url": "https://old.example.test/hook",
        "has_custom_certificate": False,
    }
    result = await check(tmp_path, sandbox, WEBHOOK_URL=HOOK)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("WEBHOOK_URL: Telegram posts updates to https://old.example.test/hook")
    assert f"not {HOOK}" in line


async def test_a_failing_webhook_is_one_line_with_the_updates_waiting(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    sandbox.state.webhook = {
        "url": HOOK,
        "has_custom_certificate": False,
        "last_error_date": int(time.time()),
        "last_error_message": "Wrong response from the webhook: 502 Bad Gateway",
    }
    await sandbox.user(1001).send("chào")  # a citizen writes while the bot is away
    result = await check(tmp_path, sandbox, WEBHOOK_URL=HOOK)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"webhook: Telegram's last delivery to {HOOK} failed at ")
    assert line.endswith("Wrong response from the webhook: 502 Bad Gateway (updates waiting: 1)")


async def test_a_webhook_on_a_port_telegram_refuses_is_named(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    url = "https://bot.example.test:9000/telegram-hook"
    sandbox.state.webhook = {"url": url, "has_custom_certificate": False}
    result = await check(tmp_path, sandbox, WEBHOOK_URL=url)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "WEBHOOK_URL: Telegram posts only to https:// URLs on port 443, 80, 88 or 8443"
    ]


async def test_config_still_prints_the_settings_without_asking_the_api(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    result = await check(tmp_path, sandbox, "config", WEBHOOK_URL=HOOK)
    assert result.returncode == 0, result.stderr
    assert "BOT_TOKEN         (set)" in result.stdout and HOOK in result.stdout
    assert len(sandbox.state.calls) == 0
