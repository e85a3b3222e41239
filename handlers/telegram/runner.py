"""Run the application until told to stop, by polling or by webhook."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlparse

from telegram import Update

from bot.core.config import Settings, WebhookSettings
from handlers.telegram.app import started
from handlers.telegram.common import TelegramApp

log = logging.getLogger(__name__)
# Starts receiving the application's updates some other way (Zalo Bot's own
# webhook endpoint); returns how to stop.
Receive = Callable[[TelegramApp], Awaitable[Callable[[], Awaitable[None]]]]


async def serve(
    application: TelegramApp,
    settings: Settings,
    stop: asyncio.Event,
    *,
    poll_timeout: int = 30,
    receive: Receive | None = None,
) -> None:
    """Start, receive updates until `stop` is set, then shut down cleanly.

    The same steps as `Application.run_polling`, with the loop left to the
    caller, so the sandbox and the tests can run in the same event loop.
    As there, updates start flowing before `application.start()` starts the
    JobQueue: work that post_init leaves to a job (the outbox's bots, the
    menus, the jobs and the duties' catch-up: `app._when_receiving`) never
    holds up the first answers.
    """
    async with application:  # initialize() and, at the end, shutdown()
        updater = application.updater
        assert updater is not None
        stop_receiving: Callable[[], Awaitable[None]] | None = None
        try:
            # Inside the try: a start-up that fails part-way still closes what it
            # opened, the database first, whose worker thread would keep the
            # process from exiting.
            if application.post_init is not None:
                await application.post_init(application)
            if receive is not None:
                stop_receiving = await receive(application)
            elif settings.webhook.url:
                await _start_webhook(application, settings.webhook)
            else:
                await updater.start_polling(timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
                log.info("receiving updates by long polling")
            await application.start()
            await stop.wait()
        finally:
            log.info("shutting down")
            await started(application)  # what the start-up job opens and registers, whole
            if stop_receiving is not None:
                await stop_receiving()
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)


async def _start_webhook(application: TelegramApp, webhook: WebhookSettings) -> None:
    """Listen for Telegram's posts, which must carry the secret token.

    Without a secret, anyone who finds the URL could post forged updates,
    officers' button presses included. When WEBHOOK_SECRET is empty a strong
    one is made for this run and registered with setWebhook, which is all
    Telegram needs to send it back; a restart registers a new one.
    """
    assert application.updater is not None and webhook.url is not None
    secret = webhook.secret_token or secrets.token_urlsafe(32)
    await application.updater.start_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=urlparse(webhook.url).path.lstrip("/"),
        webhook_url=webhook.url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )
    origin = "WEBHOOK_SECRET" if webhook.secret_token else "a secret made for this run"
    log.info("receiving updates by webhook on port %d, checked with %s", webhook.port, origin)
