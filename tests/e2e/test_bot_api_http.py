"""The outbox's lean text path keeps TelegramChannel's contract, against the sandbox's real answers.

Each case runs through PTB (the reference) and through the lean client, and
both must map Telegram's answer to the same DeliveryError.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.messaging.channels import Recipient
from bot.messaging.messages import Button, OutgoingMessage
from bot.messaging.notify import DeliveryError
from bot.outreach.actions import NewsOpen
from handlers.telegram.bot_api_http import LeanBotApi
from handlers.telegram.channel import TelegramChannel
from sandbox import SandboxServer

TEXT = OutgoingMessage("Lịch tiếp công dân tuần này")
USER = 77_000


@pytest.fixture(params=["ptb", "lean"])
async def channel(
    request: pytest.FixtureRequest, sandbox: SandboxServer
) -> AsyncIterator[TelegramChannel]:
    sandbox.user(USER, first_name="Lan")
    bot = Bot(
        sandbox.token,
        base_url=f"{sandbox.root_url}/bot",
        request=HTTPXRequest(connection_pool_size=2),
    )
    lean = LeanBotApi(sandbox.token, sandbox.root_url, 2) if request.param == "lean" else None
    async with bot:
        yield TelegramChannel(bot, lean=lean)
    if lean is not None:
        await lean.close()


async def refusal(channel: TelegramChannel, chat_id: int = USER) -> DeliveryError:
    with pytest.raises(DeliveryError) as caught:
        await channel.send(Recipient.telegram(chat_id), TEXT)
    return caught.value


def verdict(error: DeliveryError) -> tuple[bool, float | None, bool]:
    return error.blocked, error.retry_after, error.permanent


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


async def test_429_asks_to_wait_the_time_telegram_gives(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    sandbox.inject("sendMessage", 429, chat_id=USER, retry_after=7)
    assert verdict(await refusal(channel)) == (False, 7.0, False)


async def test_403_and_a_vanished_chat_block_the_citizen(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    sandbox.inject("sendMessage", 403, chat_id=USER)
    error = await refusal(channel)
    assert error.blocked and error.retry_after is None
    assert "bot was blocked by the user" in str(error)
    sandbox.inject("sendMessage", 400, chat_id=USER)  # "Bad Request: chat not found"
    assert verdict(await refusal(channel)) == (True, None, True)
    sandbox.inject("sendMessage", 403, chat_id=USER, description="Forbidden: user is deactivated")
    assert (await refusal(channel)).blocked


async def test_other_4xx_fail_at_once_5xx_and_network_errors_are_retried(
    channel: TelegramChannel, sandbox: SandboxServer
) -> None:
    sandbox.inject("sendMessage", 400, chat_id=USER, description="Bad Request: message is too long")
    error = await refusal(channel)
    assert verdict(error) == (False, None, True) and str(error).lower() == "message is too long"
    for status in (500, 502, 503):
        sandbox.inject("sendMessage", status, chat_id=USER)
        assert verdict(await refusal(channel)) == (False, None, False)
    await channel.send(Recipient.telegram(USER), TEXT)  # the connection is still good
    await sandbox.stop()
    assert verdict(await refusal(channel)) == (False, None, False)
