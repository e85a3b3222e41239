"""The sandbox's web chat page serves, and its API round-trips a chat with the bot."""

import httpx

from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot


async def test_web_chat_page_and_api_round_trip(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.root_url, timeout=60) as web:
        page = await web.get("/")
        assert page.status_code == 200 and "<html" in page.text.lower()

        persona = (await web.post("/api/personas", json={"first_name": "Thảo"})).json()["result"]
        chat = persona["id"]
        sent = await web.post(f"/api/chats/{chat}/send", json={"text": "/start"})
        assert sent.status_code == 200

        after, greeting = 0, None
        for _ in range(20):
            body = (
                await web.get(f"/api/chats/{chat}/events", params={"after": after, "wait": 5})
            ).json()["result"]
            after = body["next"]
            replies = [e for e in body["events"] if e["type"] == "message" and not e["outgoing"]]
            if replies:
                greeting = replies[0]["message"]
                break
        assert greeting is not None and "Xin chào" in greeting["text"]
        buttons = greeting["reply_markup"]["inline_keyboard"]
        vietnamese = next(b for row in buttons for b in row if b["text"] == "Tiếng Việt")

        await web.post(
            f"/api/chats/{chat}/press",
            json={"message_id": greeting["message_id"], "data": vietnamese["callback_data"]},
        )
        for _ in range(20):
            body = (
                await web.get(f"/api/chats/{chat}/events", params={"after": after, "wait": 5})
            ).json()["result"]
            after = body["next"]
            # The greeting stays; the village question comes as a new message.
            asks = [
                e
                for e in body["events"]
                if e["type"] == "message" and "thôn nào" in e["message"].get("text", "")
            ]
            if asks:
                break
        else:
            raise AssertionError("the village question never came")
