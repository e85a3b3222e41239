"""The Zalo Bot application: the handlers' Application, built over the gateway, and how it receives."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram.ext import ApplicationBuilder

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings, WebhookSettings, ZaloBotSettings
from bot.messaging.channels import ZALO_BOT_SPEC
from bot.messaging.choices import ChoiceStore
from bot.services import Services
from handlers.telegram.app import build_application
from handlers.telegram.common import TelegramApp, language_lookup
from handlers.telegram.plain_request import PlainRequest
from handlers.telegram.runner import Receive, serve
from handlers.zalo_bot.channel import ZaloBotChannel
from handlers.zalo_bot.gateway import ZaloBotGateway
from handlers.zalo_bot.ids import ZaloIds
from handlers.zalo_bot.webhook import ZaloWebhook


class ZaloBotTransport:
    """The gateway as the application's requests, and the outbox sender's Zalo channel."""

    def __init__(self, zalo: ZaloBotSettings, clock: Clock) -> None:
        if not zalo.token:
            raise ValueError("the Zalo Bot channel needs ZALO_BOT_TOKEN")
        self.token = zalo.token
        self.zalo = zalo
        self.clock = clock
        self.gateway = ZaloBotGateway(zalo.token, zalo.api_url, clock)

    def configure(self, builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any]) -> None:
        # URLs in Zalo's own form: the gateway reads the method from their end.
        builder.base_url(f"{self.zalo.api_url}/bot")
        builder.base_file_url(f"{self.zalo.api_url}/file/bot")
        # What the handlers send is made plain first (numbered choices, no
        # HTML, no edits), then done on Zalo; the lists' store is attached
        # to this PlainRequest at start-up.
        builder.request(PlainRequest(self.gateway.request(), ZALO_BOT_SPEC))
        builder.get_updates_request(self.gateway.request())

    async def open(self, services: Services) -> ZaloBotChannel:
        """Attach the gateway to the shared id map and files; a channel of its own for the sender,
        recording its numbered lists where the handlers read them."""
        self.gateway.attach(ZaloIds(services.db, self.clock), services.files)

        choices = ChoiceStore(services.db, self.clock, ZALO_BOT_SPEC.name)
        language_of = language_lookup(services, ZALO_BOT_SPEC.name)
        return ZaloBotChannel.open(self.zalo, services.db, self.clock, choices, language_of)


TRANSPORT_KEY = "zalo_bot.transport"
WEBHOOK_KEY = "zalo_bot.webhook"  # the running webhook endpoint, in webhook mode


def build_zalo_bot(
    settings: Settings, clock: Clock | None = None, services: Services | None = None
) -> TelegramApp:
    """The Zalo Bot application over the gateway, sharing `services` when given."""
    clock = clock or SystemClock()
    transport = ZaloBotTransport(settings.zalo_bot, clock)
    application = build_application(
        settings, clock, channel=ZALO_BOT_SPEC, services=services, transport=transport
    )
    application.bot_data[TRANSPORT_KEY] = transport
    return application


async def serve_zalo_bot(
    application: TelegramApp, settings: Settings, stop: asyncio.Event, *, poll_timeout: int = 30
) -> None:
    """Run until `stop`: by webhook with ZALO_BOT_WEBHOOK_URL, else polling getUpdates
    (the gateway answers one update per call, as Zalo does)."""
    zalo = settings.zalo_bot
    transport: ZaloBotTransport = application.bot_data[TRANSPORT_KEY]
    receive: Receive | None = None
    if zalo.webhook_url:
        url = zalo.webhook_url

        async def receive(app: TelegramApp) -> Callable[[], Awaitable[None]]:
            webhook = ZaloWebhook(
                app,
                transport.gateway,
                url,
                zalo.webhook_secret,
                settings.webhook.listen,
                zalo.webhook_port,
            )
            await webhook.start()
            app.bot_data[WEBHOOK_KEY] = webhook
            return webhook.stop

    # Telegram's webhook settings are not this application's.
    own = replace(settings, webhook=WebhookSettings())
    await serve(application, own, stop, poll_timeout=poll_timeout, receive=receive)
