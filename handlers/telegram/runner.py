"""Run the application until told to stop, by polling or by webhook."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

from telegram import Update

from bot.core.config import Settings
from handlers.telegram.common import TelegramApp

log = logging.getLogger(__name__)


async def serve(
    application: TelegramApp, settings: Settings, stop: asyncio.Event, *, poll_timeout: int = 30
) -> None:
    """Start, receive updates until `stop` is set, then shut down cleanly.

    The same steps as `Application.run_polling`, with the loop left to the
    caller, so the sandbox and the tests can run in the same event loop.
    As there, updates start flowing before `application.start()` starts the
    JobQueue: work that post_init leaves to a job (the duties' catch-up)
    never holds up the first answers.
    """
    async with application:  # initialize() and, at the end, shutdown()
        if application.post_init is not None:
            await application.post_init(application)
        updater = application.updater
        assert updater is not None
        try:
            webhook = settings.webhook
            if webhook.url:
                await updater.start_webhook(
                    listen=webhook.listen,
                    port=webhook.port,
                    url_path=urlparse(webhook.url).path.lstrip("/"),
                    webhook_url=webhook.url,
                    secret_token=webhook.secret_token,
                    allowed_updates=Update.ALL_TYPES,
                )
                log.info("receiving updates by webhook on port %d", webhook.port)
            else:
                await updater.start_polling(timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
                log.info("receiving updates by long polling")
            await application.start()
            await stop.wait()
        finally:
            log.info("shutting down")
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
