"""Broadcast jobs: sync the library, run the outbox sender, release scheduled posts.

Started from the application's post_init: the sender first puts back what a
crashed run left in flight, so a restart resumes where the last one stopped.
One sender per process: an application that shares another's services only
adds its channel to it (`join`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from telegram import Bot

from bot.core.config import Settings
from bot.messaging.delivery import Delivery
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.outbox import Lease
from bot.services import Services
from handlers.outreach.admin import progress_listener
from handlers.telegram.bot_api_http import LeanBotApi
from handlers.telegram.channel import TelegramChannel, delivery_bots
from handlers.telegram.common import Context, TelegramApp, app_services, channel_of, services

log = logging.getLogger(__name__)
RUNNING_KEY = "broadcast.sender"
JOINED_KEY = "broadcast.channel"


@dataclass
class Sender:
    """The running outbox sender and what it needs to stop cleanly."""

    delivery: Delivery
    task: asyncio.Task[None]


async def start(application: TelegramApp, svc: Services) -> Delivery:
    """Sync the library, start the sender, check for due posts every few seconds."""
    report = await svc.library.sync(svc.settings)
    log.info(
        "library: %d added, %d updated, %d unchanged, %d removed, %d skipped",
        len(report.added),
        len(report.updated),
        report.unchanged,
        len(report.removed),
        len(report.problems),
    )
    policy = DeliveryPolicy.from_settings(svc.settings)
    await join(application, svc, svc.settings)
    delivery = Delivery(svc.outbox, Lease(svc.db), svc.channels, policy)
    # Order matters: the broadcast is closed before the officer's report says so.
    delivery.listeners.append(svc.broadcasts.on_progress)
    delivery.listeners.append(progress_listener(application.bot, channel_of(application), svc))
    task = asyncio.create_task(delivery.run(), name="outbox-sender")
    application.bot_data[RUNNING_KEY] = Sender(delivery, task)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            release_due, policy.schedule_check, first=0.1, name="broadcasts-due"
        )
    return delivery


async def join(application: TelegramApp, svc: Services, settings: Settings) -> None:
    """Let the process's sender reach this application's people, with its own bots."""
    policy = DeliveryPolicy.from_settings(svc.settings)
    assert settings.bot_token is not None
    bots = delivery_bots(settings.bot_token, settings.bot_api_url, policy.connections)
    for bot in bots:
        await bot.initialize()
    lean = LeanBotApi(settings.bot_token, settings.bot_api_url, policy.connections)
    svc.channels[channel_of(application).name] = TelegramChannel(*bots, lean=lean, files=svc.files)
    application.bot_data[JOINED_KEY] = (bots, lean)


async def release_due(context: Context) -> None:
    """Queue the scheduled posts whose time has come."""
    released = await services(context).broadcasts.release_due()
    if released:
        log.info("broadcasts released at their time: %s", released)


async def stop(application: TelegramApp) -> None:
    """Stop the sender: in-flight sends finish or go back to the queue."""
    sender: Sender | None = application.bot_data.pop(RUNNING_KEY, None)
    if sender is not None:
        await sender.delivery.stop()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(sender.task, 10)
    joined: tuple[list[Bot], LeanBotApi] | None = application.bot_data.pop(JOINED_KEY, None)
    if joined is None:
        return
    app_services(application).channels.pop(channel_of(application).name, None)
    bots, lean = joined
    for bot in bots:
        await bot.shutdown()
    await lean.close()
