"""Wire the Telegram application: services opened at start, handlers, commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Protocol

from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.logs import quiet_libraries
from bot.core.workdays import load_holidays
from bot.messaging.channels import TELEGRAM_SPEC, ChannelSpec, Recipient
from bot.messaging.choices import ChoiceStore
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.notify import Channel
from bot.services import Services
from handlers import register_all
from handlers.outreach.admin import progress_listener
from handlers.telegram import choices, commands
from handlers.telegram.channel import TelegramChannel
from handlers.telegram.common import (
    AWAITED_KEY,
    CHANNEL_KEY,
    SERVICES_KEY,
    TelegramApp,
    app_services,
    channel_of,
    services,
)
from handlers.telegram.flood import FloodLimiter
from handlers.telegram.http import AiohttpRequest
from handlers.telegram.plain_request import PlainRequest, narrower
from handlers.telegram.processor import ChatLanes
from scheduler import broadcasts as broadcast_jobs
from scheduler import consultations as consultation_jobs
from scheduler import dialogues as dialogue_jobs
from scheduler import duties as duty_jobs
from scheduler import privacy as privacy_jobs
from scheduler import reception as reception_jobs

log = logging.getLogger(__name__)
COMMANDS_SYNC = timedelta(minutes=5)
SENDING_KEY = "sending.channel"  # this application's channel for the outbox sender
START_UP_JOB = "start-up"  # what waits until updates flow (`_when_receiving`)
START_UP_KEY = "start-up.done"  # set once that work is done


class SendingChannel(Channel, Protocol):
    """The outbox sender's channel of one application, closed when it stops."""

    async def close(self) -> None: ...


class Transport(Protocol):
    """A platform that is not a Bot API server, reached through a gateway in this process.

    It gives the application its token and request objects, and the outbox
    sender a channel of its own once the services are open.
    """

    token: str

    def configure(self, builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any]) -> None: ...

    async def open(self, services: Services) -> SendingChannel: ...


def build_application(
    settings: Settings,
    clock: Clock | None = None,
    *,
    channel: ChannelSpec = TELEGRAM_SPEC,
    services: Services | None = None,
    transport: Transport | None = None,
) -> TelegramApp:
    """An Application talking to `settings.bot_api_url`, Telegram or any compatible server.

    `channel` names the people it serves and says what their app can do.
    Given `services` already open (another application's), it shares them:
    they are neither opened nor closed here, and the process-wide work (the
    outbox sender, the scheduled jobs) stays with the application that opened
    them; this one only lets that sender reach its people. With a
    `transport` (Zalo Bot's gateway) the application's calls go through it.
    Without one, a channel narrower than Telegram gets its calls made plain
    on the way to the Bot API server (`PlainRequest`: numbered choices, no
    HTML, no edits); a transport wraps its own request where it wants that.
    """
    token = transport.token if transport is not None else settings.bot_token
    if not token:
        raise ValueError("build_application needs a bot token")
    clock = clock or SystemClock()
    quiet_libraries(settings.log_level)  # whoever runs the app, the token stays out of logs

    async def on_startup(application: TelegramApp) -> None:
        # Only what the first answer needs happens before updates flow; the host's
        # outbox bots, the menus and the jobs follow once they do (`_when_receiving`).
        # services.notifier is the durable outbox: what is sent meanwhile waits in it.
        opened = services or await Services.open(settings, clock)
        opened.awaited |= application.bot_data.get(AWAITED_KEY, set())
        application.bot_data[SERVICES_KEY] = opened
        await _open_choices(application, opened)
        if services is not None:
            # A guest's channel at once: the host's sender may be running already,
            # holding this channel's rows until it is open (`Services.awaited`).
            await _open_channel(application, settings, opened, transport)

        async def rest(application: TelegramApp) -> None:
            if services is None:  # the host's sender starts below, after its channel
                await _open_channel(application, settings, opened, transport)
            try:
                await _start_menus(application)
            finally:  # a menu Telegram refused must not leave the outbox unsent
                # Not once stopping: the JobQueue would no longer wait for new jobs.
                if services is None and application.running:
                    year = opened.clock.now().astimezone(opened.settings.timezone).year
                    await asyncio.to_thread(load_holidays, year)  # for the catch-up
                    await _start_jobs(application, opened)

        _when_receiving(application, rest)
        log.info("bot @%s started", application.bot.username)

    async def on_shutdown(application: TelegramApp) -> None:
        sender = application.bot_data.pop(broadcast_jobs.RUNNING_KEY, None)
        if sender is not None:
            await broadcast_jobs.stop(sender)
        await _close_channel(application)
        opened = application.bot_data.pop(SERVICES_KEY, None)
        if opened is not None and services is None:  # closed by whoever opened them
            await opened.close()

    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(FloodLimiter(max_retries=2))
        # Chats are served at once, each chat's updates in order: one chat's
        # flood wait or backlog no longer holds up the others.
        .concurrent_updates(ChatLanes())
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if transport is not None:
        transport.configure(builder)
    else:
        builder.base_url(f"{settings.bot_api_url}/bot")
        builder.base_file_url(f"{settings.bot_api_url}/file/bot")
        # aiohttp rather than PTB's httpx: a tenth of the CPU a call (see http.py).
        request: BaseRequest = AiohttpRequest()
        if narrower(channel):
            request = PlainRequest(request, channel)  # made plain on the way
        builder.request(request)
        builder.get_updates_request(AiohttpRequest(connections=1))
    application = builder.build()
    application.bot_data[CHANNEL_KEY] = channel
    register_all(application)
    commands.register(application)
    return application


def _when_receiving(
    application: TelegramApp, work: Callable[[TelegramApp], Awaitable[None]]
) -> None:
    """Do `work` as soon as the application takes updates, not before.

    As a job due at once: the JobQueue starts after polling (or the webhook)
    has, so this start-up work (the outbox bots' getMe, the menus'
    setMyCommands calls, the jobs' first runs) never delays the first
    answers, and `Application.stop()` waits for it to finish before
    `post_shutdown` closes what it opened. An error in it reaches the error
    handler (logged); the bot keeps answering meanwhile.
    """
    if application.job_queue is None:
        raise RuntimeError("the bot needs python-telegram-bot[job-queue] (see pyproject.toml)")
    done = application.bot_data[START_UP_KEY] = asyncio.Event()

    async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await work(application)
        finally:
            done.set()

    # Never skipped as "missed", however busy the loop is when it falls due.
    late_ok = {"misfire_grace_time": None}
    application.job_queue.run_once(job, 0, name=START_UP_JOB, job_kwargs=late_ok)


async def started(application: TelegramApp) -> None:
    """Wait until the start-up work is done (the runner, before it stops the application).

    A stop that came during it would otherwise find the jobs it registers
    not yet running: `JobQueue.stop()` waits only for those already running,
    and cancels the rest (the duties' catch-up cut short as the database closes).
    """
    done: asyncio.Event | None = application.bot_data.get(START_UP_KEY)
    if done is not None and application.running:
        await done.wait()


async def _open_choices(application: TelegramApp, services: Services) -> None:
    """On a channel narrower than Telegram, the lists each chat may answer by number
    (without buttons, every list; on the Zalo OA, what people type instead of tapping)."""
    spec = channel_of(application)
    if not narrower(spec):
        return
    store = ChoiceStore(services.db, services.clock, spec.name)
    application.bot_data[choices.STORE_KEY] = store
    sends = application.bot.request  # whoever wrapped it (here, or a transport's builder)
    if isinstance(sends, PlainRequest):
        sends.choices = store


async def _open_channel(
    application: TelegramApp,
    settings: Settings,
    services: Services,
    transport: Transport | None,
) -> None:
    """Let the process's outbox sender reach this application's people, with bots of its own."""
    channel: SendingChannel
    if transport is not None:
        channel = await transport.open(services)
    else:
        channel = await _telegram_channel(application, settings, services)
    services.channels[channel_of(application).name] = channel
    application.bot_data[SENDING_KEY] = channel


async def _telegram_channel(
    application: TelegramApp, settings: Settings, services: Services
) -> TelegramChannel:
    """The sender's bots for a Bot API server, their calls made plain where the channel needs it."""
    assert settings.bot_token is not None
    policy = DeliveryPolicy.from_settings(services.settings)
    spec, store = channel_of(application), choices.store_of(application)

    async def language_of(chat: str) -> str | None:
        who = Recipient(spec.name, chat)
        person = await services.citizens.get(who) or await services.officers.get(who)
        return person.language if person is not None else None

    def plain(inner: BaseRequest) -> BaseRequest:
        if not narrower(spec):
            return inner
        return PlainRequest(inner, spec, store, language_of, answering=False)

    return await TelegramChannel.open(
        settings.bot_token,
        settings.bot_api_url,
        policy.connections,
        services.files,
        plain,
        name=spec.name,
    )


async def _close_channel(application: TelegramApp) -> None:
    channel: SendingChannel | None = application.bot_data.pop(SENDING_KEY, None)
    if channel is not None:
        app_services(application).channels.pop(channel_of(application).name, None)
        await channel.close()


async def _start_jobs(application: TelegramApp, services: Services) -> None:
    """The process-wide work: the outbox sender, scheduled posts, duties, privacy, consultations."""
    listeners = [progress_listener(application.bot, channel_of(application), services)]
    sender = await broadcast_jobs.start(application.job_queue, services, listeners)
    application.bot_data[broadcast_jobs.RUNNING_KEY] = sender
    await duty_jobs.start(application.job_queue, services.duties)
    await privacy_jobs.start(application.job_queue, services.privacy, services.settings.timezone)
    await consultation_jobs.start(application.job_queue, services.consultations)
    await dialogue_jobs.start(application.job_queue, services.dialogues)
    await reception_jobs.start(application.job_queue, services.reception)


async def _start_menus(application: TelegramApp) -> None:
    """Publish this application's menus now and every few minutes (each keeps its own)."""
    await _publish_commands(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _sync_commands, COMMANDS_SYNC, first=COMMANDS_SYNC, name="commands-sync"
        )


async def _publish_commands(application: TelegramApp) -> None:
    officers = await app_services(application).officers.all(include_inactive=True)
    await commands.menus(application.bot_data).publish(application.bot, officers)


async def _sync_commands(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Update the menus of officers added or removed by the CLI who have not written since.

    Those who write get theirs at once (`commands.refresh_on_message`).
    """
    officers = await services(context).officers.all(include_inactive=True)
    await commands.menus(context.bot_data).sync(context.bot, officers)
