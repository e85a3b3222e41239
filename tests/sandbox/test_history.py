"""A sandbox started on a history file shows every chat as the last one left it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from telegram.ext import Application, ApplicationBuilder

from sandbox import SAMPLE_PNG, SandboxServer

from .test_application import setup


@asynccontextmanager
async def polling(
    server: SandboxServer,
    build: Callable[[Application], None],  # type: ignore[type-arg]
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """A PTB Application polling `server` until the block ends."""
    app = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .job_queue(None)
        .build()
    )
    build(app)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def snapshot(server: SandboxServer, chat_id: int) -> list[tuple[object, ...]]:
    """Every message of a chat as the page and the harness see it."""
    chat = server.state.chats[chat_id]
    return [
        (m.message_id, m.from_bot, m.kind, m.data, m.keyboard, m.edit_count, m.deleted)
        for m in chat.messages.values()
    ]


async def test_chats_keyboards_and_files_survive_a_restart(tmp_path: Path) -> None:
    history = tmp_path / "sandbox-chats.db"
    first = SandboxServer(history=history)
    await first.start()
    async with polling(first, setup):
        lan = first.user(1001)
        await lan.send("/start")
        hello = await lan.wait_for(contains="Chào")
        await lan.wait_for(contains="Menu")
        await lan.press("Không", hello)  # the bot edits the message: its buttons go
        await lan.wait_for(contains="Bạn chọn no")
        photo = await lan.send_photo(SAMPLE_PNG, caption="ảnh")
        async with httpx.AsyncClient(base_url=first.root_url) as web:
            added = await web.post("/api/personas", json={"first_name": "Hoa"})
        hoa_id = added.json()["result"]["id"]
        first.user(hoa_id)
        await first.user(1002).send("/start")
        await first.user(1002).wait_for(contains="Menu")
    before = {chat: snapshot(first, chat) for chat in (1001, 1002)}
    events = list(first.state.chats[1001].events)
    photo_id = photo.data["photo"][-1]["file_id"]
    old_files = set(first.state.files.by_id)
    instance = first.state.instance
    await first.stop()

    second = SandboxServer(history=history)
    await second.start()
    try:
        assert {chat: snapshot(second, chat) for chat in (1001, 1002)} == before
        assert second.state.chats[1001].events == events  # the page's event numbers hold
        assert second.state.instance == instance
        chat = second.state.chats[1001]
        assert chat.reply_keyboard is not None
        assert chat.reply_keyboard["keyboard"] == [[{"text": "Góp ý"}]]
        assert hoa_id in second.state.personas and second.state.users[hoa_id].first_name == "Hoa"
        async with httpx.AsyncClient(base_url=second.root_url) as web:
            image = await web.get(f"/api/files/{photo_id}")
            state = (await web.get("/api/chats/1001/events?after=0")).json()["result"]
        assert image.content == SAMPLE_PNG
        assert state["next"] == len(events)
        assert state["state"]["reply_keyboard"]["keyboard"] == [[{"text": "Góp ý"}]]
        async with polling(second, setup):
            lan = second.user(1001)
            lan.skip_pending()
            await lan.press_reply("Góp ý")  # the kept keyboard still works
            answer = await lan.next_message()
            assert answer.text == "Nhận: Góp ý"
            assert answer.message_id == max(m[0] for m in before[1001]) + 2
            again = await lan.send_photo(SAMPLE_PNG)
            assert not {size["file_id"] for size in again.data["photo"]} & old_files  # ids unique
    finally:
        await second.stop()


async def test_without_a_history_file_nothing_is_written(tmp_path: Path) -> None:
    server = SandboxServer()
    await server.start()
    try:
        await server.user(1001).send("xin chào")
        assert server.state.history is None
    finally:
        await server.stop()
    assert files_in(tmp_path) == []


def files_in(folder: Path) -> list[Path]:
    return list(folder.iterdir())
