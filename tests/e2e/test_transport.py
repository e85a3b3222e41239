"""Webhook mode, clean shutdown, and what the logs may contain."""

import asyncio
import logging
import re
import socket
from dataclasses import replace

import httpx
import pytest

from bot.cases.model import Status
from bot.core.clock import ManualClock
from bot.core.config import Settings, WebhookSettings
from bot.people.officers import Role
from handlers.telegram.app import build_application
from handlers.telegram.runner import serve
from sandbox import ChatMessage, SandboxServer, SimUser
from sandbox.webhook import SECRET_HEADER
from tests.e2e.cases_steps import file_anonymous_feedback
from tests.e2e.conftest import RunningBot, add_officer, receiving


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
        # Receiving: the webhook is registered with the Bot API and the port listens.
        await receiving(app, settings, task)
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


FORGED_QUERY_ID = "4200000000000000999"


def press_update(
    update_id: int, user: SimUser, message: ChatMessage, label: str
) -> dict[str, object]:
    """A callback_query update for the button `label` of `message`, as a forger would build it."""
    (data,) = [value for row in message.buttons for text, value in row if label in text]
    return {
        "update_id": update_id,
        "callback_query": {
            "id": FORGED_QUERY_ID,
            "from": {"id": user.id, "is_bot": False, "first_name": "Hoa"},
            "chat_instance": "-1",
            "message": message.data,
            "data": data,
        },
    }


async def test_webhook_without_a_secret_setting_still_refuses_forged_presses(
    sandbox: SandboxServer, bot_settings: Settings, settings: Settings, clock: ManualClock
) -> None:
    await add_officer(settings, clock, 2001, "Chị Hoa", Role.OFFICE)
    port = free_port()
    hook = replace(
        bot_settings,
        webhook=WebhookSettings(
            url="https://bot.example.test/telegram-hook", listen="127.0.0.1", port=port
        ),
    )
    lan, hoa = sandbox.user(1001, first_name="Lan"), sandbox.user(2001, first_name="Hoa")
    stop = asyncio.Event()
    app = build_application(hook, clock)
    task = asyncio.create_task(serve(app, hook, stop))
    try:
        bot = await receiving(app, hook, task)
        # The bot made a secret and registered it; Telegram (the sandbox) sends it back.
        secret = sandbox.state.calls_for("setWebhook")[-1].params.get("secret_token")
        assert isinstance(secret, str) and re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)
        sandbox.deliver_webhook_to(f"http://127.0.0.1:{port}")
        code = await file_anonymous_feedback(lan)
        card = await hoa.wait_for(contains=code)

        forged = press_update(1, hoa, card, "Thụ lý")
        async with httpx.AsyncClient() as client:
            for headers in ({}, {SECRET_HEADER: "guessed"}, {SECRET_HEADER: secret[:-1]}):
                answer = await client.post(
                    f"http://127.0.0.1:{port}/telegram-hook", json=forged, headers=headers
                )
                assert answer.status_code == 403, headers
        # A 403 is answered before the update is queued: nothing can act on it later.
        case = await bot.services.cases.repo.by_code(code)
        assert case is not None and case.status is Status.NEW
        answered = {c.params.get("callback_query_id") for c in sandbox.state.calls}
        assert FORGED_QUERY_ID not in answered

        await hoa.press("Thụ lý", card)  # delivered by Telegram, with the secret
        case = await bot.services.cases.repo.by_code(code)
        assert case is not None and case.status is Status.ACCEPTED
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
