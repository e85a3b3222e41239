"""Broadcast jobs: sync the library, run the outbox sender, release scheduled posts.

Started once the application takes updates: the sender first puts back what a
crashed run left in flight, so a restart resumes where the last one stopped.
One sender per process, over `services.channels`: the composition root
(handlers/telegram/app.py) opens each application's channel and puts it
there, and an application that shares another's services only adds its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from telegram.ext import ContextTypes, JobQueue

from bot.messaging.delivery import Delivery, ProgressListener
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.outbox import Lease
from bot.services import Services

log = logging.getLogger(__name__)
RUNNING_KEY = "broadcast.sender"  # where the composition root keeps the running Sender


@dataclass
class Sender:
    """The running outbox sender and its task."""

    delivery: Delivery
    task: asyncio.Task[None]


async def start(
    job_queue: JobQueue[Any] | None, svc: Services, listeners: Sequence[ProgressListener] = ()
) -> Sender:
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
    # svc.channels, not a copy: a channel added later is reached too.
    delivery = Delivery(svc.outbox, Lease(svc.db), svc.channels, policy, awaited=svc.awaited)
    # Order matters: the broadcast is closed before the officer's report says so.
    delivery.listeners.append(svc.broadcasts.on_progress)
    delivery.listeners.extend(listeners)
    task = asyncio.create_task(delivery.run(), name="outbox-sender")
    if job_queue is not None:
        job_queue.run_repeating(
            release_due, policy.schedule_check, first=0.1, name="broadcasts-due", data=svc
        )
    return Sender(delivery, task)


async def release_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Queue the scheduled posts whose time has come."""
    assert context.job is not None
    svc = cast(Services, context.job.data)
    released = await svc.broadcasts.release_due()
    if released:
        log.info("broadcasts released at their time: %s", released)


async def stop(sender: Sender) -> None:
    """Stop the sender: in-flight sends finish or go back to the queue."""
    await sender.delivery.stop()
    with contextlib.suppress(asyncio.CancelledError, TimeoutError):
        await asyncio.wait_for(sender.task, 10)
