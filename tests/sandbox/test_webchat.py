"""The web chat page and its JSON API, with a real PTB Application answering."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from sandbox import SAMPLE_PNG, SandboxServer

from .conftest import AppFactory
from .test_application import setup


async def _events(
    client: httpx.AsyncClient, chat_id: int, after: int, wait: float = 3
) -> dict[str, Any]:
    res = await client.get(f"/api/chats/{chat_id}/events", params={"after": after, "wait": wait})
    assert res.status_code == 200
    body: dict[str, Any] = res.json()["result"]
    return body


async def until(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Wait until `check()` is true: a deadline, generous for a busy machine, not a pause."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def test_page_and_personas(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url) as client:
        page = await client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert (
            "sandbox cục bộ" in page.text and "Tiếng Việt" in page.text and "<script" in page.text
        )
        assert "http://" not in page.text.split("<script", 1)[1].split("safeUrl", 1)[0]  # no CDN
        info = (await client.get("/api/personas")).json()["result"]
        assert info["bot"]["username"] == "danvan_sandbox_bot"
        roles = {p["id"]: p["role"] for p in info["personas"]}
        assert roles[1001] == "citizen" and roles[9001] == "officer"
        added = (
            await client.post("/api/personas", json={"first_name": "Hoa", "language_code": "en"})
        ).json()
        assert added["ok"] and added["result"]["id"] == 1004
        assert sandbox.state.users[1004].language_code == "en"
        bad = await client.post("/api/personas", json={})
        assert bad.status_code == 400 and bad.json()["ok"] is False


async def test_round_trip_through_web_api(sandbox: SandboxServer, make_app: AppFactory) -> None:
    await make_app(setup)
    async with httpx.AsyncClient(base_url=sandbox.root_url) as client:
        first = await _events(client, 1001, 0, wait=0)
        assert first["events"] == [] and first["next"] == 0

        poll = asyncio.create_task(_events(client, 1001, 0, wait=5))
        sent = await client.post("/api/chats/1001/send", json={"text": "/start"})
        assert sent.json()["result"]["text"] == "/start"
        got = await poll
        assert got["events"][0]["outgoing"] is True  # the user's own message comes first
        after = got["next"]
        messages: list[dict[str, Any]] = []
        while len(messages) < 2:
            batch = await _events(client, 1001, after)
            after = batch["next"]
            messages += [e for e in batch["events"] if e["type"] == "message" and not e["outgoing"]]
        hello = messages[0]["message"]
        assert hello["text"] == "Chào" and hello["entities"][0]["type"] == "bold"
        assert batch["state"]["reply_keyboard"]["keyboard"] == [[{"text": "Góp ý"}]]

        await client.post(
            "/api/chats/1001/press", json={"message_id": hello["message_id"], "data": "vote:no"}
        )
        seen: list[str] = []
        while "edited" not in seen or "callback_answer" not in seen:
            batch = await _events(client, 1001, after)
            after = batch["next"]
            seen += [e["type"] for e in batch["events"]]
            answers = [e for e in batch["events"] if e["type"] == "callback_answer"]
            if answers:
                assert answers[0]["text"] == "Đã ghi nhận: no"
        edited = [e for e in batch["events"] if e["type"] == "edited"] or [None]
        assert sandbox.user(1001).messages[0].text == "Bạn chọn no" and edited

        res = await client.post("/api/chats/1001/reply_button", json={"text": "Góp ý"})
        assert res.json()["result"]["text"] == "Góp ý"
        assert (await sandbox.user(1001).wait_for(contains="Nhận: Góp ý")).kind == "text"

        upload = await client.post(
            "/api/chats/1001/upload",
            data={"kind": "photo", "caption": "ảnh"},
            files={"file": ("a.png", SAMPLE_PNG, "image/png")},
        )
        photo = upload.json()["result"]["photo"][-1]
        image = await client.get(f"/api/files/{photo['file_id']}")
        assert image.content == SAMPLE_PNG
        for body in ({"location": {}}, {"contact": {}}):
            assert (await client.post("/api/chats/1001/send", json=body)).json()["ok"]
        blocked = await client.post("/api/chats/1001/block", json={"blocked": True})
        assert blocked.json()["result"] == {"blocked": True}
        assert (await _events(client, 1001, 0, wait=0))["state"]["blocked"] is True
        missing = await client.post("/api/chats/1001/send", json={"text": "x"})
        assert missing.status_code == 400 and "blocked" in missing.json()["error"]


async def test_long_poll_cleans_up_and_resyncs(sandbox: SandboxServer) -> None:
    chat = sandbox.state.chats[1001]
    async with httpx.AsyncClient(base_url=sandbox.root_url) as client:
        idle = await _events(client, 1001, 0, wait=0.05)  # times out with nothing new
        assert idle["events"] == [] and chat.waiters == []  # no future left behind

        poll = asyncio.create_task(client.get("/api/chats/1001/events?after=0&wait=30"))
        await until(lambda: bool(chat.waiters), "the long poll waiting")
        poll.cancel()  # the page switches persona: the request is aborted
        await until(lambda: not chat.waiters, "the waiter cleaned up")

        await client.post("/api/chats/1001/send", json={"text": "xin chào"})
        # A page older than the sandbox (restarted) asks past the end: answered at once.
        started = asyncio.get_running_loop().time()
        stale = await _events(client, 1001, 50, wait=5)
        assert asyncio.get_running_loop().time() - started < 2
        assert stale["events"] == [] and stale["next"] == 1
        assert (await _events(client, 1001, -3, wait=0))["events"][0]["seq"] == 1


async def test_page_is_self_contained_and_responsive(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url) as client:
        page = (await client.get("/")).text
    assert 'rel="icon"' in page  # no /favicon.ico 404 in the console
    assert "@media (max-width:" in page and 'name="viewport"' in page
    assert "isComposing" in page  # Enter while composing Vietnamese (Telex/VNI IMEs) does not send
    assert '<link rel="stylesheet"' not in page and "<script src" not in page
