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


def test_run_without_token_serves_a_working_web_chat(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SANDBOX_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/sandbox.db",
        "DANVAN_CONFIG": "/nonexistent.toml",
    }
    env.pop("BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        banner = ""
        while "Press Ctrl+C" not in banner:
            line = process.stdout.readline() if process.stdout else ""
            assert line, f"the bot exited early: {process.stderr.read() if process.stderr else ''}"
            banner += line
        assert f"http://127.0.0.1:{port}" in banner
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as web:
            assert "<html" in web.get("/").text.lower()
            personas = web.get("/api/personas").json()["result"]["personas"]
            citizen = next(p for p in personas if p["role"] == "citizen")
            web.post(f"/api/chats/{citizen['id']}/send", json={"text": "/start"})
            deadline, replies = time.monotonic() + 10, []
            while not replies and time.monotonic() < deadline:
                events = web.get(
                    f"/api/chats/{citizen['id']}/events", params={"after": 0, "wait": 2}
                )
                replies = [
                    e
                    for e in events.json()["result"]["events"]
                    if e["type"] == "message" and not e["outgoing"]
                ]
            assert replies and "Xin chào" in replies[0]["message"]["text"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "shutting down" in (process.stderr.read() if process.stderr else "")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
