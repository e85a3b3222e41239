"""Webhook mode, clean shutdown, and what the logs may contain."""

import asyncio
import logging
import socket
from dataclasses import replace

import httpx
import pytest

from bot.core.config import Settings, WebhookSettings
from handlers.telegram.app import build_application
from handlers.telegram.runner import serve
from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def text_update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
    entities = (
        [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/")
        else []
    )
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_780_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Lan"},
            "from": user,
            "text": text,
            "entities": entities,
        },
    }


async def test_webhook_mode_receives_updates_and_checks_the_secret(
    sandbox: SandboxServer, bot_settings: Settings, clock
) -> None:
    port = free_port()
    settings = replace(
        bot_settings,
        webhook=WebhookSettings(
            url="https://bot.example.test/telegram-hook",
            listen="127.0.0.1",
            port=port,
            secret_token="s3cret",
        ),
    )
    lan = sandbox.user(1001, first_name="Lan")
    stop = asyncio.Event()
    app = build_application(settings, clock)
    task = asyncio.create_task(serve(app, settings, stop))
    try:
        for _ in range(500):  # running, and the webhook registered with the Bot API
            if sandbox.state.calls_for("setWebhook"):
                break
            await asyncio.sleep(0.01)
        webhook = sandbox.state.calls_for("setWebhook")[-1].params
        # Telegram posts to the public URL; a reverse proxy forwards it to our port.
        assert webhook["url"] == "https://bot.example.test/telegram-hook"
        assert webhook["secret_token"] == "s3cret"
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                f"http://127.0.0.1:{port}/telegram-hook", json=text_update(1, 1001, "/help")
            )
            assert forged.status_code == 403
            accepted = await client.post(
                f"http://127.0.0.1:{port}/telegram-hook",
                json=text_update(2, 1001, "/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
            )
            assert accepted.status_code == 200
        greeting = await lan.next_message()
        assert "Xin chào" in greeting.text
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert task.exception() is None


async def test_citizens_words_stay_out_of_info_logs(
    sandbox: SandboxServer, running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    lan = sandbox.user(1001, first_name="Lan")
    secret = "nhà tôi ở số 12 ngõ 3, điện thoại 0912345678"
    await lan.send(secret)
    await lan.next_message()
    assert any("update" in r.getMessage() for r in caplog.records)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert "0912345678" not in logged and "ngõ 3" not in logged
    assert sandbox.token not in logged
