"""Run the OA channel: a second Application over the shared services, fed by the OA webhook.

```mermaid
flowchart LR
    Z[Zalo] -- signed event --> W[OAWebhook] -- 200 at once --> Z
    W --> I[Intake: once per msg_id, files kept] -- Update --> Q[application.update_queue]
    Q --> H[the Telegram handlers] -- Bot API call --> R[ZaloOARequest] --> O[Outbound] --> API[OA Open API v3]
    S[outbox sender] --> C[ZaloOAChannel] --> O
    B[a broadcast sent] -. ZALO_OA_PUBLISH_ARTICLES=1 .-> A[ArticlePublisher] --> API
```
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from telegram import Update
from telegram.ext import ApplicationBuilder

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings, ZaloOASettings
from bot.messaging.channels import ZALO_OA_SPEC, zalo_oa_spec
from bot.services import Services
from handlers.telegram.app import SendingChannel, build_application
from handlers.telegram.common import TelegramApp, language_lookup
from handlers.zalo_oa.api import OAClient
from handlers.zalo_oa.articles import ArticlePublisher
from handlers.zalo_oa.channel import ZaloOAChannel
from handlers.zalo_oa.events import Intake
from handlers.zalo_oa.outbound import Outbound
from handlers.zalo_oa.request import ZaloOARequest
from handlers.zalo_oa.tokens import OAuthClient, TokenKeeper
from handlers.zalo_oa.webhook import OAWebhook

log = logging.getLogger(__name__)

# PTB's Bot wants a token and a root; the request class answers every call itself.
PLACEHOLDER_TOKEN = "0:zalo-oa"
PLACEHOLDER_ROOT = "http://zalo-oa.invalid"


class OATransport:
    """How `build_application` reaches the OA: its request class, and the outbox's channel."""

    token = PLACEHOLDER_TOKEN

    def __init__(self, request: ZaloOARequest, outbound: Outbound) -> None:
        self._request = request
        self._outbound = outbound

    def configure(self, builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any]) -> None:
        builder.request(self._request)
        builder.base_url(f"{PLACEHOLDER_ROOT}/bot")
        builder.base_file_url(f"{PLACEHOLDER_ROOT}/file/bot")

    async def open(self, services: Services) -> SendingChannel:
        language_of = language_lookup(services, ZALO_OA_SPEC.name)
        return ZaloOAChannel(self._outbound, services.files, language_of)


@dataclass
class RunningOA:
    """The OA channel's parts while it runs (the tests reach in through it)."""

    application: TelegramApp
    webhook: OAWebhook
    tokens: TokenKeeper
    publisher: ArticlePublisher


def oa_config(settings: Settings) -> ZaloOASettings:
    if settings.zalo_oa is None:
        raise ValueError("the Zalo OA channel needs ZALO_OA_APP_ID and its keys")
    return settings.zalo_oa


async def serve_oa(
    settings: Settings,
    services: Services,
    stop: asyncio.Event,
    clock: Clock | None = None,
    started: asyncio.Queue[RunningOA] | None = None,
) -> None:
    """Receive the OA's events and answer them until `stop` is set; `services` stay open."""
    config = oa_config(settings)
    clock = clock or SystemClock()
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0)) as http:
        oauth = OAuthClient(config.oauth_url, config.app_id, config.app_secret, http)
        tokens = TokenKeeper(services.db, oauth, clock)
        await tokens.start(config.refresh_token)
        client = OAClient(config.api_url, tokens, http)
        outbound = Outbound(client, services.db, services.files)

        transport = OATransport(
            ZaloOARequest(outbound, services.files, settings.commune_name), outbound
        )
        application = build_application(
            settings,
            clock,
            channel=zalo_oa_spec(settings),
            services=services,
            transport=transport,
        )
        intake = Intake(
            services.db, services.files, outbound, services.subscriptions,
            ZALO_OA_SPEC.name, client.get, client.display_name,
        )  # fmt: skip

        async def take(event: dict[str, Any]) -> None:
            await intake.take(
                event,
                application.update_queue.put,
                lambda data: Update.de_json(data, application.bot),
            )

        webhook = OAWebhook(config.app_id, config.secret_key, config.webhook_path, take)
        running = RunningOA(
            application, webhook, tokens, ArticlePublisher(client, services, config)
        )
        await _run(running, config, stop, started)


async def _run(
    running: RunningOA,
    config: ZaloOASettings,
    stop: asyncio.Event,
    started: asyncio.Queue[RunningOA] | None,
) -> None:
    """As `handlers.telegram.runner.serve`, with the OA webhook in place of the updater."""
    application, webhook = running.application, running.webhook
    async with application:  # initialize() and, at the end, shutdown()
        try:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            await webhook.start(config.webhook_listen, config.webhook_port)
            articles = asyncio.create_task(running.publisher.run(stop), name="oa-articles")
            if started is not None:
                started.put_nowait(running)
            await stop.wait()
            await articles  # it ends with `stop`; its failure is this channel's
        finally:
            await webhook.stop()
            if application.running:
                await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
