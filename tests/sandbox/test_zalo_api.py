"""The sandbox's Zalo Bot API: Zalo's shapes, one update per poll, 408 when empty, string ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox import SAMPLE_PNG, Persona, SandboxServer
from tests.browser import chromium


@pytest.fixture
async def zalo(sandbox: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    url = f"{sandbox.zalo_root_url}/bot{sandbox.zalo_token}/"
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> dict[str, Any]:
    response = await client.post(method, json=params)
    assert response.status_code == 200  # Zalo answers its errors with HTTP 200 too
    body: dict[str, Any] = response.json()
    return body


async def test_get_updates_answers_one_update_then_408(
    sandbox: SandboxServer, zalo: httpx.AsyncClient
) -> None:
    lan = sandbox.zalo_user(5001, "Lan", "Nguyễn")
    await lan.send("xin chào")
    await lan.send("tra cứu PA-7KX4M")
    first = await call(zalo, "getUpdates", timeout="1")
    assert first["ok"] is True and isinstance(first["result"], dict)
    update = first["result"]
    assert update["event_name"] == "message.text.received"
    message = update["message"]
    assert message["text"] == "xin chào"
    assert message["chat"] == {"id": lan.zalo_id, "chat_type": "PRIVATE"}
    assert message["from"]["id"] == lan.zalo_id and isinstance(message["message_id"], str)
    assert message["date"] > 10**12  # milliseconds
    second = await call(zalo, "getUpdates", timeout="1")
    assert second["result"]["message"]["text"] == "tra cứu PA-7KX4M"
    sandbox.state.zalo.poll_wait_cap = 0.0
    assert await call(zalo, "getUpdates", timeout="30") == {
        "ok": False,
        "error_code": 408,
        "description": "Request timeout",
    }


async def test_photos_come_by_a_url_that_expires_and_protected_users_bring_nothing(
    sandbox: SandboxServer, zalo: httpx.AsyncClient
) -> None:
    mai = sandbox.zalo_user(5002, "Mai")
    await mai.send_photo(SAMPLE_PNG, caption="ổ gà")
    update = (await call(zalo, "getUpdates", timeout="1"))["result"]
    assert update["event_name"] == "message.image.received"
    assert update["message"]["caption"] == "ổ gà"
    async with httpx.AsyncClient() as web:
        assert (await web.get(update["message"]["photo_url"])).content == SAMPLE_PNG
        sandbox.state.zalo.photo_ttl = -1
        await mai.send_photo(SAMPLE_PNG)
        expired = (await call(zalo, "getUpdates", timeout="1"))["result"]["message"]["photo_url"]
        assert (await web.get(expired)).status_code == 404
    await mai.send_protected("em chào")
    protected = (await call(zalo, "getUpdates", timeout="1"))["result"]
    assert protected["event_name"] == "message.unsupported.received"
    assert set(protected["message"]) == {"from", "chat", "message_id", "date"}


async def test_sends_take_string_ids_and_texts_of_1_to_2000(
    sandbox: SandboxServer, zalo: httpx.AsyncClient
) -> None:
    lan = sandbox.zalo_user(5001, "Lan")
    sent = await call(zalo, "sendMessage", chat_id=lan.zalo_id, text="Chào Lan")
    assert sent["ok"] and isinstance(sent["result"]["message_id"], str)
    assert sent["result"]["date"] > 10**12
    assert (await lan.next_message()).text == "Chào Lan"
    too_long = await call(zalo, "sendMessage", chat_id=lan.zalo_id, text="x" * 2001)
    assert too_long["ok"] is False and too_long["error_code"] == 400
    unknown = await call(zalo, "sendMessage", chat_id="0123456789abcdef0123", text="a")
    assert unknown["error_code"] == 400 and "chat not found" in unknown["description"]
    photo = await call(zalo, "sendPhoto", chat_id=lan.zalo_id, photo="https://x.vn/a.jpg")
    assert photo["ok"]
    by_file = await call(zalo, "sendPhoto", chat_id=lan.zalo_id, photo="AgACAgIAAxkBAAE")
    assert by_file["error_code"] == 400  # Zalo takes photos by URL only
    async with httpx.AsyncClient() as web:
        bad_token = await web.post(f"{sandbox.zalo_root_url}/bot1:wrong/getMe", json={})
    assert bad_token.json()["error_code"] == 401


async def test_a_webhook_replaces_polling_and_faults_answer_zalo_style(
    sandbox: SandboxServer, zalo: httpx.AsyncClient
) -> None:
    hook = await call(zalo, "setWebhook", url="https://x.vn/hook", secret_token="short")
    assert hook["error_code"] == 400  # a secret of 8 to 256 characters
    hook = await call(zalo, "setWebhook", url="https://x.vn/hook", secret_token="long-secret")
    assert hook["result"]["url"] == "https://x.vn/hook"
    assert (await call(zalo, "getUpdates", timeout="1"))["error_code"] == 409
    await call(zalo, "deleteWebhook")
    lan = sandbox.zalo_user(5001, "Lan")
    sandbox.inject("zalo.sendMessage", status=429, retry_after=3)
    limited = await call(zalo, "sendMessage", chat_id=lan.zalo_id, text="a")
    assert limited["error_code"] == 429 and limited["parameters"] == {"retry_after": 3}


async def test_the_page_shows_a_zalo_citizen_without_buttons_or_commands(tmp_path: Path) -> None:
    server = SandboxServer(
        personas=[Persona(id=1004, first_name="Thảo", last_name="Phạm", channel="zalo_bot")]
    )
    await server.start(port=0)
    try:
        async with chromium(tmp_path / "profile") as page:
            await page.open(server.root_url + "/")
            await page.wait_for("document.body.classList.contains('zalo')", "the Zalo look")
            tag = await page.evaluate("document.querySelector('#title .role-tag.zalo').textContent")
            assert tag == "Zalo"
            slash = "getComputedStyle(document.getElementById('slash')).display"
            assert await page.evaluate(slash) == "none"  # Zalo has no commands menu
            await page.evaluate(
                "document.getElementById('text').value = 'xin chào';"
                " document.getElementById('send').click()"
            )
            await page.wait_for("document.querySelectorAll('#log .msg.out').length === 1", "sent")
            await page.screenshot(tmp_path / "zalo-chat.png")
        (update,) = server.state.zalo.pending  # it went to the Zalo bot, not to Telegram
        assert update["message"]["text"] == "xin chào" and not server.state.updates.pending
    finally:
        await server.stop()
