"""Restarting the sandbox and the bot keeps every chat and the citizen's menu keyboard.

As `make run` does: the sandbox keeps its chats in a history file beside the
bot's database, the bot keeps its own data; both stop and start again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bot.core.clock import ManualClock
from bot.core.config import Settings
from handlers.telegram.app import build_application
from handlers.telegram.runner import serve
from sandbox import Persona, SandboxServer
from tests.browser import chromium
from tests.e2e.conftest import RunningBot, caught_up, receiving

LAN = Persona(1001, "Lan", "Nguyễn Thị")


@asynccontextmanager
async def sandbox_and_bot(
    settings: Settings, clock: ManualClock, history: Path
) -> AsyncIterator[tuple[SandboxServer, RunningBot]]:
    """A sandbox on `history` and the bot against it, both stopped at the end."""
    sandbox = SandboxServer(personas=[LAN], history=history)
    await sandbox.start("127.0.0.1", 0)
    stop = asyncio.Event()
    own = replace(settings, bot_token=sandbox.token, bot_api_url=sandbox.root_url)
    app = build_application(own, clock)
    task = asyncio.create_task(serve(app, own, stop, poll_timeout=1))
    try:
        bot = await receiving(app, own, task)
        await caught_up(bot, task)
        yield sandbox, bot
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await sandbox.stop()


def chat_as_shown(sandbox: SandboxServer) -> list[tuple[object, ...]]:
    chat = sandbox.state.chats[LAN.id]
    return [(m.message_id, m.from_bot, m.data, m.edit_count) for m in chat.messages.values()]


async def test_chats_and_menu_keyboard_survive_a_restart(
    settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    history = settings.database_path.with_name("sandbox-chats.db")
    async with sandbox_and_bot(settings, clock, history) as (sandbox, _bot):
        lan = sandbox.user(LAN.id)
        await lan.send("/start")
        await lan.next_message()
        await lan.press("Tiếng Việt")
        await lan.wait_for(contains="thôn nào")
        await lan.press("Thôn Tân Hưng")
        await lan.wait_for(contains="chuyên mục nào")
        await lan.press("Xong")
        await lan.wait_for(contains="Bạn đã đăng ký nhận tin")
        before = chat_as_shown(sandbox)
        keyboard = lan.reply_keyboard
        assert keyboard is not None and any("⚙️ Cài đặt" in row for row in keyboard)
        assert any(m[3] for m in before)  # the greeting was edited step by step

    async with sandbox_and_bot(settings, clock, history) as (sandbox, _bot):
        lan = sandbox.user(LAN.id)
        assert chat_as_shown(sandbox) == before
        assert lan.reply_keyboard == keyboard
        lan.skip_pending()
        await lan.press_reply("⚙️ Cài đặt")  # the kept keyboard reaches the bot's kept data
        assert "Thôn: Thôn Tân Hưng" in (await lan.next_message()).text

        async with chromium(tmp_path / "profile") as page:
            await page.open(sandbox.root_url + "/")
            shown = len(sandbox.state.chats[LAN.id].messages)
            await page.wait_for(
                f"document.querySelectorAll('#log .msg').length === {shown}", "the whole chat"
            )
            texts = await page.evaluate(
                "({log: document.getElementById('log').innerText,"
                " keys: [...document.querySelectorAll('#kbd button')].map((b) => b.textContent)})"
            )
            assert "Bạn đã đăng ký nhận tin" in texts["log"] and "Thôn Tân Hưng" in texts["log"]
            assert "⚙️ Cài đặt" in texts["keys"]
            await page.screenshot(tmp_path / "webchat-after-restart.png")
