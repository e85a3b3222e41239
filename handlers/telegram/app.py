"""Wire the Telegram application: services opened at start, handlers, commands."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.logs import quiet_libraries
from bot.services import Services
from handlers import register_all
from handlers.telegram import commands
from handlers.telegram.common import SERVICES_KEY, TelegramApp, app_services, services
from handlers.telegram.flood import FloodLimiter
from handlers.telegram.processor import ChatLanes
from scheduler import broadcasts as broadcast_jobs
from scheduler import duties as duty_jobs
from scheduler import privacy as privacy_jobs

log = logging.getLogger(__name__)
COMMANDS_SYNC = timedelta(minutes=5)


def build_application(settings: Settings, clock: Clock | None = None) -> TelegramApp:
    """An Application talking to `settings.bot_api_url`, Telegram or any compatible server."""
    if not settings.bot_token:
        raise ValueError("build_application needs a bot token")
    clock = clock or SystemClock()
    quiet_libraries(settings.log_level)  # whoever runs the app, the token stays out of logs

    async def on_startup(application: TelegramApp) -> None:
        # services.notifier is the durable outbox, drained by the broadcast sender.
        services = await Services.open(settings, clock)
        application.bot_data[SERVICES_KEY] = services
        await broadcast_jobs.start(application, services)
        await _publish_commands(application)
        await duty_jobs.start(application.job_queue, services.duties)
        await privacy_jobs.start(application.job_queue, services.privacy, settings.timezone)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                _sync_commands, COMMANDS_SYNC, first=COMMANDS_SYNC, name="commands-sync"
            )
        log.info("bot @%s started", application.bot.username)

    async def on_shutdown(application: TelegramApp) -> None:
        await broadcast_jobs.stop(application)
        services = application.bot_data.pop(SERVICES_KEY, None)
        if services is not None:
            await services.close()

    application = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(f"{settings.bot_api_url}/bot")
        .base_file_url(f"{settings.bot_api_url}/file/bot")
        .rate_limiter(FloodLimiter(max_retries=2))
        # Chats are served at once, each chat's updates in order: one chat's
        # flood wait or backlog no longer holds up the others.
        .concurrent_updates(ChatLanes())
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        .build()
    )
    register_all(application)
    commands.register(application)
    return application


async def _publish_commands(application: TelegramApp) -> None:
    officers = await app_services(application).officers.all(include_inactive=True)
    await commands.menus(application.bot_data).publish(application.bot, officers)


async def _sync_commands(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Update the menus of officers added or removed by the CLI who have not written since.

    Those who write get theirs at once (`commands.refresh_on_message`).
    """
    officers = await services(context).officers.all(include_inactive=True)
    await commands.menus(context.bot_data).sync(context.bot, officers)
