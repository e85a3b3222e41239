"""Start the channels that are set up (Telegram, Zalo Bot, Zalo OA), else two bots in the sandbox."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import TELEGRAM, ZALO_BOT_SPEC, ZALO_OA_SPEC, Recipient
from bot.people.officers import OfficerRepository, Role
from bot.services import Services
from handlers.telegram.app import build_application
from handlers.telegram.common import AWAITED_KEY, SERVICES_KEY, TelegramApp, app_services
from handlers.telegram.runner import serve

log = logging.getLogger(__name__)

DEFAULT_DATABASE = Path("data/danvan.db")
SANDBOX_DATABASE = Path("data/sandbox.db")
SANDBOX_CHATS = "sandbox-chats.db"  # the web chat's history, next to the bot's database
DEMO_OFFICER_ID = 900001
ZALO_DEMO_CITIZEN = 1004  # the sandbox's Zalo Bot user
# A channel that shares the services another application opened, until its event is set.
Guest = Callable[[Services, asyncio.Event], Coroutine[Any, Any, None]]


async def launch(settings: Settings, stop: asyncio.Event) -> None:
    """Run until `stop` is set: the channels whose token is set, else both bots in the sandbox."""
    if settings.bot_token or settings.zalo_bot.token:
        await serve_channels(settings, stop)
        return
    # Imported here: a bot with a token starts without the sandbox's modules.
    from sandbox import Persona, SandboxServer

    database = settings.database_path
    if database == DEFAULT_DATABASE:  # keep demo data apart from real data
        database = SANDBOX_DATABASE
    sandbox = SandboxServer(
        personas=[
            Persona(id=1001, first_name="Lan", last_name="Nguyễn Thị"),
            Persona(id=1002, first_name="Hùng", last_name="Trần Văn"),
            Persona(id=1003, first_name="Mai", last_name="Lê", language_code="en"),
            Persona(
                id=ZALO_DEMO_CITIZEN, first_name="Thảo", last_name="Phạm Thị", channel="zalo_bot"
            ),
            Persona(id=DEMO_OFFICER_ID, first_name="Cán bộ", last_name="(demo)", role="officer"),
        ],
        # The chats live beside the bot's data: a restart shows them as they were.
        history=database.with_name(SANDBOX_CHATS),
    )
    port = await sandbox.start(settings.sandbox_host, settings.sandbox_port)
    try:
        settings = replace(
            settings,
            bot_token=sandbox.token,
            bot_api_url=sandbox.root_url,
            database_path=database,
            webhook=replace(settings.webhook, url=None),
            # The same sandbox plays Zalo: the page shows a Zalo citizen too.
            zalo_bot=replace(
                settings.zalo_bot,
                token=sandbox.zalo_token,
                api_url=sandbox.zalo_root_url,
                webhook_url=None,
            ),
        )
        await _seed_demo_officer(settings)
        print(
            f"\n  Dân vận bot is running in the local sandbox (no BOT_TOKEN set).\n"
            f"  Open http://{settings.sandbox_host}:{port} in your browser to chat with it\n"
            f"  on Telegram or on Zalo (the Zalo citizen).\n"
            f"  Press Ctrl+C to stop.\n",
            flush=True,
        )
        await serve_channels(settings, stop, poll_timeout=10)
    finally:
        await sandbox.stop()


async def serve_channels(settings: Settings, stop: asyncio.Event, poll_timeout: int = 30) -> None:
    """Telegram, Zalo Bot and the Zalo OA, those whose settings are set: one process, one Services.

    The first application (Telegram, else Zalo Bot) opens the services and
    runs the sender and the jobs; the others share them, starting once they
    are open and stopping before it closes them (and when it stops on an error).
    """
    if settings.bot_token:
        host = build_application(settings)
    else:
        from handlers.zalo_bot.app import build_zalo_bot  # Zalo Bot's modules only when it runs

        host = build_zalo_bot(settings)

    async def serve_host(until: asyncio.Event) -> None:
        if settings.bot_token:
            await serve(host, settings, until, poll_timeout=poll_timeout)
        else:
            from handlers.zalo_bot.app import serve_zalo_bot

            await serve_zalo_bot(host, settings, until, poll_timeout=poll_timeout)

    guests = _guests(settings, poll_timeout)
    if not guests:
        await serve_host(stop)
        return
    host.bot_data[AWAITED_KEY] = set(guests)  # their rows wait for them (`Services.awaited`)
    host_stop, guest_stop = asyncio.Event(), asyncio.Event()
    host_task = asyncio.create_task(serve_host(host_stop))
    stopping = asyncio.create_task(stop.wait())
    tasks: set[asyncio.Task[Any]] = {host_task, stopping}
    try:
        services = await _opened(host, host_task)
        if services is not None:
            tasks |= {asyncio.create_task(guest(services, guest_stop)) for guest in guests.values()}
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        guest_stop.set()
        stopping.cancel()
        for task in tasks - {host_task, stopping}:
            await task  # the guests first: the host closes the services they use
        host_stop.set()
        await host_task


def _guests(settings: Settings, poll_timeout: int) -> dict[str, Guest]:
    """The channels beside the host, by name: the OA when configured, Zalo Bot when Telegram hosts."""
    guests: dict[str, Guest] = {}
    if settings.zalo_oa is not None:
        from handlers.zalo_oa.app import serve_oa  # the OA's modules only when it is configured

        async def oa(services: Services, until: asyncio.Event) -> None:
            await serve_oa(settings, services, until)

        guests[ZALO_OA_SPEC.name] = oa
    if settings.bot_token and settings.zalo_bot.token:
        from handlers.zalo_bot.app import build_zalo_bot, serve_zalo_bot  # only when it runs

        async def zalo_bot(services: Services, until: asyncio.Event) -> None:
            app = build_zalo_bot(settings, services=services)
            await serve_zalo_bot(app, settings, until, poll_timeout=poll_timeout)

        guests[ZALO_BOT_SPEC.name] = zalo_bot
    return guests


async def _opened(host: TelegramApp, task: asyncio.Task[None]) -> Services | None:
    """The services once the host application has opened them; None if it stopped first."""
    while SERVICES_KEY not in host.bot_data:
        if task.done():
            return None
        await asyncio.sleep(0.05)
    return app_services(host)


async def _seed_demo_officer(settings: Settings) -> None:
    """Let the sandbox's officer persona try every officer feature."""
    db = await Database.open(settings.database_path)
    try:
        officers = OfficerRepository(db, SystemClock())
        recipient = Recipient(TELEGRAM, str(DEMO_OFFICER_ID))
        if await officers.get(recipient) is None:
            await officers.add(recipient, "Cán bộ demo", set(Role))
    finally:
        await db.close()
