"""`make run` without a token: the sandbox and the bot in one process, until SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.core.paths import ROOT
from tests.e2e.test_transport import free_port


def start_run(env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -m bot run`, once its banner says the web chat is open."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    banner = ""
    while "Press Ctrl+C" not in banner:
        line = process.stdout.readline() if process.stdout else ""
        if not line:
            stop_run(process)
            raise AssertionError(f"the bot exited early: {process.stderr.read()}")
        banner += line
    assert f"http://127.0.0.1:{env['SANDBOX_PORT']}" in banner
    return process


def stop_run(process: subprocess.Popen[str]) -> str:
    """SIGTERM, the exit, and what the bot logged."""
    try:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 0
        return process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()


def bot_replies(web: httpx.Client, chat: int, wait: float) -> list[dict[str, object]]:
    """The bot's messages in a chat, waiting up to `wait` seconds for the first."""
    deadline, replies = time.monotonic() + wait, []
    while True:
        events = web.get(f"/api/chats/{chat}/events", params={"after": 0, "wait": 2})
        replies = [
            e
            for e in events.json()["result"]["events"]
            if e["type"] == "message" and not e["outgoing"]
        ]
        if replies or time.monotonic() > deadline:
            return replies


def test_run_without_token_serves_a_working_web_chat(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SANDBOX_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/sandbox.db",
        "DANVAN_CONFIG": "/nonexistent.toml",
    }
    env.pop("BOT_TOKEN", None)
    process = start_run(env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as web:
            assert "<html" in web.get("/").text.lower()
            personas = web.get("/api/personas").json()["result"]["personas"]
            citizen = next(p for p in personas if p["role"] == "citizen")
            web.post(f"/api/chats/{citizen['id']}/send", json={"text": "/start"})
            # The banner comes before the bot has started: the reply waits for its
            # start-up too, seconds on a busy machine. A generous deadline, not a pace.
            replies = bot_replies(web, citizen["id"], wait=60)
            assert replies and "Xin chào" in replies[0]["message"]["text"]
            # The Zalo Bot application runs beside it against the same sandbox:
            # a newcomer's hello starts onboarding, its choices numbered.
            on_zalo = next(p for p in personas if p["channel"] == "zalo_bot")
            web.post(f"/api/chats/{on_zalo['id']}/send", json={"text": "xin chào"})
            greeting = bot_replies(web, on_zalo["id"], wait=60)
            assert greeting and "1. Tiếng Việt" in greeting[0]["message"]["text"]
    finally:
        assert "shutting down" in stop_run(process)
    assert (tmp_path / "sandbox-chats.db").exists()  # the chats, beside the bot's database

    process = start_run(env)  # run again: the chat is there at once, as it was left
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as web:
            assert bot_replies(web, citizen["id"], wait=0) == replies
    finally:
        stop_run(process)
