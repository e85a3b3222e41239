"""The Zalo Bot gateway's translations, its id map and its one error classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TelegramError
from telegram.request import BaseRequest

from bot.core.clock import ManualClock
from bot.core.config import ConfigError, Settings, load_settings
from bot.core.db import Database
from bot.messaging.files import FileStore
from bot.messaging.notify import Verdict
from handlers.telegram.channel import classify as telegram_classify
from handlers.zalo_bot import translate
from handlers.zalo_bot.errors import ZaloApiError, bot_api_error, classify
from handlers.zalo_bot.gateway import ZaloBotGateway
from handlers.zalo_bot.ids import ZaloIds

ZALO_MESSAGE = {
    "from": {"id": "e4ea2cd5189df1c3a88c", "display_name": "Nguyễn Văn A", "is_bot": False},
    "chat": {"id": "e4ea2cd5189df1c3a88c", "chat_type": "PRIVATE"},
    "text": "Xin chào",
    "message_id": "16f6366b3f02645a3d15",
    "date": 1766619597466,
}


def test_bodies_wrapped_and_flat_give_the_same_update() -> None:
    flat = {"event_name": "message.text.received", "message": ZALO_MESSAGE}
    assert translate.unwrap({"ok": True, "result": flat}) == flat
    assert translate.unwrap(flat) == flat
    assert translate.unwrap({"ok": True, "result": {}}) is None
    assert translate.unwrap([flat]) is None


def test_a_zalo_message_becomes_a_bot_api_message_with_local_numbers() -> None:
    body = translate.telegram_message(
        ZALO_MESSAGE, message_id=7, user_id=3, chat_id=3, content=translate.text_content("/help")
    )
    assert body["date"] == 1766619597  # milliseconds to seconds
    assert body["chat"] == {"id": 3, "type": "private", "first_name": "Nguyễn Văn A"}
    assert body["from"] == {"id": 3, "is_bot": False, "first_name": "Nguyễn Văn A"}
    assert body["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert "entities" not in translate.text_content("tra cứu PA-7KX4M")


@pytest.mark.parametrize(
    ("message", "url"),
    [
        ({"photo_url": "https://f.zdn.vn/a.jpg"}, "https://f.zdn.vn/a.jpg"),
        ({"photo": "https://f.zdn.vn/b.jpg"}, "https://f.zdn.vn/b.jpg"),
        ({"photo": {"id": "x"}}, None),
    ],
)
def test_the_photo_url_is_found_under_either_name(message: dict[str, Any], url: str | None) -> None:
    assert translate.photo_url(message) == url


def test_texts_are_made_plain_and_split_at_2000() -> None:
    html = '<b>Lịch</b> &amp; <a href="https://xa.gov.vn/tb">thông báo</a>'
    assert translate.plain(html, "HTML") == "Lịch & thông báo (https://xa.gov.vn/tb)"
    assert translate.plain("<b>như gõ</b>", None) == "<b>như gõ</b>"
    long = "\n\n".join(["đoạn " + "x" * 900] * 5)
    parts = translate.split(long)
    assert all(1 <= len(p) <= 2000 for p in parts) and len(parts) == 3
    assert "\n\n".join(parts) == long
    assert translate.split(" \n ") == []


@pytest.mark.parametrize(
    ("code", "description", "verdict"),
    [
        (429, "Too Many Requests", Verdict.RETRY),
        (401, "Unauthorized", Verdict.DOWN),
        (404, "Not Found", Verdict.DOWN),
        (403, "Forbidden: the user has blocked the bot", Verdict.REFUSED),
        (400, "Bad Request: chat not found", Verdict.REFUSED),
        (400, "Bad Request: text must be 1 to 2000 characters", Verdict.FAILED),
        (408, "Request timeout", Verdict.RETRY),
        (409, "Conflict: terminated by other getUpdates request", Verdict.RETRY),
        (502, "Bad Gateway", Verdict.RETRY),
        (413, "Request Entity Too Large", Verdict.FAILED),
        (500, "Internal Server Error", Verdict.RETRY),
        (0, "Zalo Bot API unreachable", Verdict.RETRY),
    ],
)
def test_one_classifier_for_every_refusal(code: int, description: str, verdict: Verdict) -> None:
    assert classify(ZaloApiError(code, description)).verdict is verdict


def test_a_429_waits_as_told_or_five_seconds_and_reaches_ptb_as_retry_after() -> None:
    assert classify(ZaloApiError(429, "slow down", retry_after=12)).retry_after == 12
    assert classify(ZaloApiError(429, "slow down")).retry_after == 5.0
    # As python-zalo-bot reads it: a retry_after is a wait, whatever the code beside it.
    told = classify(ZaloApiError(400, "Too many messages", retry_after=3))
    assert (told.verdict, told.retry_after) == (Verdict.RETRY, 3)
    status, body = bot_api_error(ZaloApiError(429, "slow down"))
    assert status == 429 and json.loads(body)["parameters"] == {"retry_after": 5}
    # The gateway answers the application with the status of the same verdict.
    assert bot_api_error(ZaloApiError(400, "Bad Request: chat not found"))[0] == 403
    assert bot_api_error(ZaloApiError(401, "Unauthorized"))[0] == 401
    assert bot_api_error(ZaloApiError(400, "Bad Request: text too long"))[0] == 400
    assert bot_api_error(ZaloApiError(0, "unreachable"))[0] == 503


async def test_ids_get_stable_numbers_both_ways(db: Database, clock: ManualClock) -> None:
    ids = ZaloIds(db, clock)
    lan, hung = await ids.local("e4ea2cd5189df1c3a88c"), await ids.local("6ede9afa66b88fe6d6a9")
    assert lan != hung and await ids.local("e4ea2cd5189df1c3a88c") == lan
    again = ZaloIds(db, clock)  # after a restart: read from SQLite
    assert await again.zalo(lan) == "e4ea2cd5189df1c3a88c"
    assert await again.local("6ede9afa66b88fe6d6a9") == hung
    assert await again.zalo(999) is None


async def test_a_message_is_taken_in_once(db: Database, clock: ManualClock) -> None:
    ids = ZaloIds(db, clock)
    assert await ids.first_sight("16f6366b3f02645a3d15")
    assert not await ids.first_sight("16f6366b3f02645a3d15")
    assert not await ZaloIds(db, clock).first_sight("16f6366b3f02645a3d15")


class FakeApi:
    """Records the Zalo calls the gateway makes and answers as Zalo does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def call(self, method: str, params: dict[str, Any] | None = None, **_: Any) -> Any:
        self.calls.append((method, params or {}))
        return {"message_id": "82599fa32f56d00e8941", "date": 1749632637199}


@pytest.fixture
async def gateway(
    db: Database, clock: ManualClock, tmp_path: Path
) -> tuple[ZaloBotGateway, FakeApi]:
    gate = ZaloBotGateway("1:t", "http://zalo.test", clock)
    gate.attach(ZaloIds(db, clock), FileStore(db, tmp_path / "files", clock, 10**6))
    api = FakeApi()
    gate._api = api  # type: ignore[assignment]
    return gate, api


async def test_calls_zalo_cannot_do_are_answered_or_sent_anew(
    gateway: tuple[ZaloBotGateway, FakeApi],
) -> None:
    gate, api = gateway
    number = await gate.ids.local("e4ea2cd5189df1c3a88c")
    assert await gate.call("answerCallbackQuery", {"callback_query_id": "1"}) is True
    assert await gate.call("setMyCommands", {"commands": []}) is True
    edited = await gate.call(
        "editMessageText",
        {"chat_id": number, "message_id": 4, "text": "<b>Mới</b>", "parse_mode": "HTML"},
    )
    assert edited["chat"]["id"] == number and edited["text"] == "Mới"
    assert api.calls == [("sendMessage", {"chat_id": "e4ea2cd5189df1c3a88c", "text": "Mới"})]
    api.calls.clear()
    await gate.call("sendPhoto", {"chat_id": number, "photo": "file:" + "a" * 64, "caption": "Ảnh"})
    ((method, params),) = api.calls
    assert method == "sendMessage" and params["text"].startswith("Ảnh\n\n(")
    api.calls.clear()
    await gate.call("sendPhoto", {"chat_id": number, "photo": "https://xa.gov.vn/a.jpg"})
    assert api.calls == [
        ("sendPhoto", {"chat_id": "e4ea2cd5189df1c3a88c", "photo": "https://xa.gov.vn/a.jpg"})
    ]
    api.calls.clear()
    # A file a handler made (uploaded: no file id in the call), a report: where to have it.
    await gate.call("sendDocument", {"chat_id": number, "caption": "Báo cáo lấy ý kiến"})
    ((method, params),) = api.calls
    assert method == "sendMessage" and "Zalo Bot không gửi được tệp" in params["text"]
    assert "Telegram hoặc Zalo OA" in params["text"]
    api.calls.clear()
    with pytest.raises(ZaloApiError) as caught:
        await gate.call("sendMessage", {"chat_id": number + 1, "text": "ai?"})
    assert caught.value.code == 400 and "chat not found" in caught.value.description
    with pytest.raises(ZaloApiError):
        await gate.call("sendLocation", {"chat_id": number, "latitude": 1, "longitude": 2})


async def test_a_protected_users_message_is_answered_and_not_handed_on(
    gateway: tuple[ZaloBotGateway, FakeApi], db: Database
) -> None:
    gate, api = gateway
    protected = {"event_name": "message.unsupported.received", "message": {**ZALO_MESSAGE}}
    del protected["message"]["text"]
    assert await gate.to_update(protected) is None
    ((method, params),) = api.calls
    assert method == "sendMessage" and params["chat_id"] == "e4ea2cd5189df1c3a88c"
    assert await db.scalar("SELECT COUNT(*) FROM zalo_bot_ids") == 0


@pytest.mark.parametrize(
    ("code", "description", "retry_after"),
    [
        (429, "Too Many Requests", 7.0),
        (401, "Unauthorized", None),
        (403, "Forbidden", None),
        (400, "Bad Request: chat not found", None),
        (400, "Bad Request: text too long", None),
        (500, "Internal Server Error", None),
        (0, "unreachable", None),
    ],
)
async def test_the_application_sees_the_verdict_of_the_zalo_classifier(
    code: int, description: str, retry_after: float | None
) -> None:
    """What the gateway answers PTB with raises the exception the same verdict stands for."""
    error = ZaloApiError(code, description, retry_after)
    status, body = bot_api_error(error)

    class Answer(BaseRequest):
        read_timeout = 1.0

        async def initialize(self) -> None: ...

        async def shutdown(self) -> None: ...

        async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            return status, body

    with pytest.raises(TelegramError) as raised:
        await Answer().post("https://zalo.test/bot1:t/sendMessage")
    assert telegram_classify(raised.value).verdict is classify(error).verdict


def _load(tmp_path: Path, **env: str) -> Settings:
    environ = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite", **env}
    return load_settings(environ, config_path=tmp_path / "none.toml", dotenv_path=tmp_path / "x")


def test_zalo_bot_settings_default_to_off_and_the_platforms_root(tmp_path: Path) -> None:
    zalo = _load(tmp_path).zalo_bot
    assert zalo.token is None and zalo.api_url == "https://bot-api.zaloplatforms.com"
    assert zalo.webhook_url is None and zalo.webhook_port == 8445  # the OA has 8444
    on = _load(
        tmp_path,
        ZALO_BOT_TOKEN="1459232241454765289:AbC-def_123",
        ZALO_BOT_API_URL="http://127.0.0.1:9000/",
        ZALO_BOT_WEBHOOK_URL="https://bot.example.gov.vn/zalo",
        ZALO_BOT_WEBHOOK_SECRET="a-long-secret",
    ).zalo_bot
    assert on.token == "1459232241454765289:AbC-def_123"
    assert on.api_url == "http://127.0.0.1:9000" and on.webhook_secret == "a-long-secret"


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("ZALO_BOT_TOKEN", "no-colon-here", "malformed"),
        ("ZALO_BOT_API_URL", "bot-api.zaloplatforms.com", "not an http(s) URL"),
        ("ZALO_BOT_WEBHOOK_URL", "ftp://x", "not an http(s) URL"),
        ("ZALO_BOT_WEBHOOK_SECRET", "short", "8-256 characters"),
        ("ZALO_BOT_WEBHOOK_PORT", "99999", "not a port number"),
    ],
)
def test_a_bad_zalo_bot_setting_is_one_clear_line(
    tmp_path: Path, setting: str, value: str, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, **{setting: value})
    assert caught.value.setting == setting and words in str(caught.value)
    assert "\n" not in str(caught.value)


async def test_a_kept_file_is_fetched_through_get_file_and_actions_are_typing(
    gateway: tuple[ZaloBotGateway, FakeApi],
) -> None:
    gate, api = gateway
    stored = await gate.files.put(b"\x89PNG sandbox", "image/png")
    found = await gate.call("getFile", {"file_id": stored.ref})
    assert found["file_path"] == stored.sha256 and found["file_size"] == stored.size
    url = f"http://zalo.test/file/bot1:t/{found['file_path']}"
    assert await gate.read_file(url) == b"\x89PNG sandbox"
    with pytest.raises(ZaloApiError):
        await gate.call("getFile", {"file_id": "AgACAgIAAxkBAAE"})  # not a file the bot keeps
    number = await gate.ids.local("e4ea2cd5189df1c3a88c")
    assert await gate.call("sendChatAction", {"chat_id": number, "action": "upload_photo"})
    assert api.calls == [
        ("sendChatAction", {"chat_id": "e4ea2cd5189df1c3a88c", "action": "typing"})
    ]
