"""The Telegram channel's one error classifier, over every answer the sandbox can inject.

Each status goes through the real send path (PTB over HTTP) and must come
out as the verdict the sender acts on (bot/messaging/notify.py, `Verdict`);
what the sender then does with a citizen's or an officer's row is tested in
tests/storage/test_delivery.py and, end to end, in test_delivery_recovery.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.messaging.channels import Recipient
from bot.messaging.messages import Button, OutgoingMessage
from bot.messaging.notify import DeliveryError, Verdict
from bot.outreach.actions import NewsOpen
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.http import AiohttpRequest
from sandbox import SandboxServer

TEXT = OutgoingMessage("Lịch tiếp công dân tuần này")
USER = 77_000
RETRY, REFUSED, DOWN, FAILED = Verdict.RETRY, Verdict.REFUSED, Verdict.DOWN, Verdict.FAILED


def channel_to(sandbox: SandboxServer, token: str, root: str) -> tuple[Bot, TelegramChannel]:
    bot = Bot(
        token,
        base_url=f"{root}/bot",
        request=AiohttpRequest(connections=2, read_timeout=0.5),  # as the sender's bots
    )
    return bot, TelegramChannel(bot)


@pytest.fixture
async def channel(sandbox: SandboxServer) -> AsyncIterator[TelegramChannel]:
    sandbox.user(USER, first_name="Lan")
    bot, channel = channel_to(sandbox, sandbox.token, sandbox.root_url)
    async with bot:
        yield channel


async def refusal(channel: TelegramChannel) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        await channel.send(Recipient.telegram(USER), TEXT)
    return caught.value


@pytest.mark.parametrize(
    ("status", "description", "verdict"),
    [
        (403, "Forbidden: bot was blocked by the user", REFUSED),
        (403, "Forbidden: user is deactivated", REFUSED),
        (403, "Forbidden: bot can't initiate conversation with a user", REFUSED),
        (403, "Forbidden: bot was kicked from the group chat", REFUSED),
        (400, "Bad Request: chat not found", REFUSED),
        (400, "Bad Request: bot was blocked by the user", REFUSED),
        (400, "Bad Request: message is too long", FAILED),
        (400, "Bad Request: can't parse entities: unsupported start tag", FAILED),
        (401, "Unauthorized", DOWN),
        (404, "Not Found", DOWN),
        (409, None, RETRY),
        (500, "Internal Server Error", RETRY),
        (502, "Bad Gateway", RETRY),
        (503, "Service Unavailable", RETRY),
        (504, "Gateway Timeout", RETRY),
    ],
)
async def test_every_status_has_one_verdict(
    channel: TelegramChannel,
    sandbox: SandboxServer,
    status: int,
    description: str | None,
    verdict: Verdict,
) -> None:
    sandbox.inject("sendMessage", status, chat_id=USER, description=description)
    error = await refusal(channel)
    assert (error.verdict, error.retry_after) == (verdict, None)
    await channel.send(Recipient.telegram(USER), TEXT)  # one refusal, then it goes again


async def test_429_asks_to_wait_the_time_telegram_gives(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    sandbox.inject("sendMessage", 429, chat_id=USER, retry_after=7)
    error = await refusal(channel)
    assert (error.verdict, error.retry_after) == (RETRY, 7.0)


async def test_a_timeout_and_a_lost_server_are_retried(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    sandbox.inject("sendMessage", 200, chat_id=USER, delay=1.5)  # answers after the 0.5 s timeout
    assert (await refusal(channel)).verdict is RETRY
    await channel.send(Recipient.telegram(USER), TEXT)
    await sandbox.stop()  # connections closed, then refused
    assert (await refusal(channel)).verdict is RETRY


async def test_a_revoked_token_and_a_wrong_api_root_are_the_channel_down(
    sandbox: SandboxServer,
) -> None:
    sandbox.user(USER, first_name="Lan")
    for token, root in [
        ("123456:AAH-revoked-token-of-the-right-shape", sandbox.root_url),  # 401
        (sandbox.token, f"{sandbox.root_url}/wrong-root"),  # 404
    ]:
        channel = await TelegramChannel.open(token, root, 2)  # its failed getMe is no error
        try:
            assert (await refusal(channel)).verdict is DOWN
        finally:
            await channel.close()


async def test_a_text_with_html_and_buttons_arrives_as_sent(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    message = OutgoingMessage(
        "<b>Họp dân</b> thôn Đông",
        buttons=((Button("Xem", NewsOpen("1")), Button("Cổng", url="https://x.gov.vn")),),
        html=True,
    )
    message_id = await channel.send(Recipient.telegram(USER), message)
    sent = sandbox.user(USER).messages[-1]
    assert message_id == str(sent.message_id)
    assert sent.text == "Họp dân thôn Đông" and sent.parse_mode == "HTML"
    assert sent.data["reply_markup"]["inline_keyboard"] == [
        [
            {"text": "Xem", "callback_data": "news:open:1"},
            {"text": "Cổng", "url": "https://x.gov.vn"},
        ]
    ]
