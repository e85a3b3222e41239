"""The application's Bot API transport (aiohttp) keeps HTTPXRequest's contract."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from handlers.telegram.http import AiohttpRequest

Seen = list[dict[str, object]]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    """A Bot API stand-in: echoes what it got; `/slow` never answers in time; `/bad` is a 400."""
    seen: Seen = []

    async def method(request: web.Request) -> web.Response:
        if request.match_info["name"] == "slow":
            await asyncio.sleep(1.5)
        form = await request.post()
        seen.append(
            {
                "type": request.content_type,
                "agent": request.headers.get("User-Agent", ""),
                **{
                    k: v if isinstance(v, str) else (v.filename, v.file.read())
                    for k, v in form.items()
                },
            }
        )
        status = 400 if request.match_info["name"] == "bad" else 200
        return web.json_response({"ok": status == 200}, status=status)

    app = web.Application()
    app.router.add_post("/bot/{name}", method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/bot", seen
    finally:
        await runner.cleanup()


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    sender = AiohttpRequest(read_timeout=0.5)
    await sender.initialize()
    try:
        yield sender
    finally:
        await sender.shutdown()


def _data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_a_form_goes_as_fields_and_any_status_comes_back(
    server: tuple[str, Seen], request_: AiohttpRequest
) -> None:
    url, seen = server
    data = _data(chat_id=42, text="Xin chào & <b>", reply_markup={"inline_keyboard": []})
    assert await request_.do_request(f"{url}/sendMessage", "POST", data) == (200, b'{"ok": true}')
    assert seen[-1]["type"] == "application/x-www-form-urlencoded"
    assert seen[-1]["chat_id"] == "42" and seen[-1]["text"] == "Xin chào & <b>"
    assert seen[-1]["reply_markup"] == '{"inline_keyboard": []}'
    assert str(seen[-1]["agent"]).startswith("python-telegram-bot")
    status, _body = await request_.do_request(f"{url}/bad", "POST", _data(chat_id=1))
    assert status == 400  # PTB maps the Bot API's statuses itself


async def test_a_file_goes_as_multipart(server: tuple[str, Seen], request_: AiohttpRequest) -> None:
    url, seen = server
    document = InputFile(b"%PDF-1.4 ...", filename="du-thao.pdf")
    await request_.do_request(f"{url}/sendDocument", "POST", _data(chat_id=7, document=document))
    assert seen[-1]["type"] == "multipart/form-data"
    assert seen[-1]["chat_id"] == "7"
    assert seen[-1]["document"] == ("du-thao.pdf", b"%PDF-1.4 ...")


async def test_no_answer_in_time_is_timed_out(
    server: tuple[str, Seen], request_: AiohttpRequest
) -> None:
    with pytest.raises(TimedOut):
        await request_.do_request(f"{server[0]}/slow", "POST", _data(chat_id=1))


async def test_nobody_listening_is_a_network_error(request_: AiohttpRequest) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(NetworkError):
        await request_.do_request(f"http://127.0.0.1:{port}/bot/getMe", "POST")


async def test_not_initialized_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/bot/getMe", "POST")


def test_the_proxy_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.xa.local:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    sender = AiohttpRequest()
    assert sender._proxy("https://api.telegram.org/bot1:x/getMe") == "http://proxy.xa.local:3128"
    assert sender._proxy("http://127.0.0.1:8081/bot1:x/getMe") is None
    assert sender._proxy("http://sandbox.local/bot1:x/getMe") is None  # no HTTP_PROXY set
