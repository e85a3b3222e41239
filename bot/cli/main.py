"""`python -m bot`: run the bot, or manage it from the command line."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from bot.cli import broadcast, consult, duties, faq, officers, report, zalo
from bot.core import db
from bot.core.clock import SystemClock
from bot.core.config import SETTINGS_DOC, ConfigError, Settings, load_settings
from bot.core.db import MigrationError
from bot.core.logs import configure
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.files import FileStore
from bot.messaging.notify import Channel

Launch = Callable[[Settings, asyncio.Event], Awaitable[None]]

# Feature modules that add subcommands: each has `add_parser(subparsers)`.
SUBCOMMANDS = (officers, broadcast, report, faq, duties, consult, zalo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Dân vận bot: the commune's outreach, feedback and reminder bot.",
        epilog="Without a command, runs the bot. Settings: "
        + ", ".join(SETTINGS_DOC)
        + " (environment, .env or config.toml).",
    )
    # The channels a command sends through itself (`broadcast` with no bot running).
    parser.set_defaults(open_channels=_open_channels)
    # The Zalo OA's authorisation and health (`zalo authorize|status`).
    parser.set_defaults(open_zalo_oa=_open_zalo_oa)
    # The Zalo Bot's number for a person's Zalo id (`officer add --channel zalo_bot`).
    parser.set_defaults(zalo_bot_number=_zalo_bot_number)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (the sandbox when BOT_TOKEN is empty)")
    run.set_defaults(func=_run)
    config = sub.add_parser("config", help="check the configuration and print it")
    config.set_defaults(func=_show_config)
    check = sub.add_parser(
        "check", help="check the token and the webhook with the Bot API; exit 1 on problems"
    )
    check.set_defaults(func=_check)
    backup = sub.add_parser("backup", help="copy the database consistently, even while running")
    backup.add_argument("file", type=Path, help="where to write the copy")
    backup.set_defaults(func=_backup)
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the command in `argv` (default: the process's) with the settings of `environ`
    (default: the process's environment); return the exit code.

    Taking both lets the tests run a command in their own process, which
    costs no interpreter start and no imports (`tests/cli.py`).
    """
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(environ)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_level)
    func = getattr(args, "func", _run)
    try:
        result: int = func(args, settings)
    except ConfigError as exc:  # a feature's own section, validated when it starts
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except MigrationError as exc:
        print(f"Database error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return result


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.telegram.launcher import launch  # imports the Telegram stack only when running

    return asyncio.run(_until_signal(launch, settings))


def _open_channels(
    settings: Settings, policy: DeliveryPolicy, files: FileStore
) -> AbstractAsyncContextManager[Mapping[str, Channel]]:
    from handlers.telegram.channel import sender_channels  # the Telegram stack only when sending

    return sender_channels(settings, policy, files)


async def _zalo_bot_number(database: db.Database, zalo_id: str) -> str:
    from handlers.zalo_bot.ids import ZaloIds  # the channel's own id map

    return str(await ZaloIds(database, SystemClock()).local(zalo_id))


def _open_zalo_oa(settings: Settings) -> AbstractAsyncContextManager[zalo.OAAdmin]:
    from handlers.zalo_oa.admin import open_admin  # the OA's modules only when managing it

    return open_admin(settings)


async def _until_signal(launch: Launch, settings: Settings) -> int:
    """Run until SIGINT or SIGTERM, then let the bot shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await launch(settings, stop)
    return 0


def _show_config(args: argparse.Namespace, settings: Settings) -> int:
    token = "(set)" if settings.bot_token else "(empty: the local sandbox)"
    print(f"BOT_TOKEN         {token}")
    print(f"BOT_API_URL       {settings.bot_api_url}")
    print(f"DATABASE_URL      sqlite:///{settings.database_path}")
    print(f"TIMEZONE          {settings.timezone.key}")
    print(f"DEFAULT_LANGUAGE  {settings.default_language}")
    print(f"COMMUNE_NAME      {settings.commune_name}")
    print(f"villages          {', '.join(v.name for v in settings.villages)}")
    print(f"topics            {', '.join(t.name('vi') for t in settings.topics)}")
    print(f"OFFICERS_CHAT_ID  {settings.officers_chat_id or '(none)'}")
    print(f"WEBHOOK_URL       {settings.webhook.url or '(none: long polling)'}")
    oa = settings.zalo_oa
    if oa is None:
        print("ZALO_OA_APP_ID    (none: no Zalo OA channel)")
    else:
        print(
            f"ZALO_OA_APP_ID    {oa.app_id}, events on port {oa.webhook_port} at {oa.webhook_path}"
        )
    zalo = settings.zalo_bot
    print(f"ZALO_BOT_TOKEN    {'(set)' if zalo.token else '(empty: no Zalo Bot)'}")
    if zalo.token:
        print(f"ZALO_BOT_API_URL  {zalo.api_url}")
        print(f"ZALO_BOT_WEBHOOK_URL {zalo.webhook_url or '(none: polling)'}")
    return 0


def _check(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.telegram.preflight import check  # the Telegram stack only when checking

    report = asyncio.run(check(settings))
    for problem in report.problems:
        print(problem, file=sys.stderr)
    if report.problems:
        return 1
    print(report.summary)
    return 0


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    try:
        db.backup(settings.database_path, args.file)
    except (OSError, FileNotFoundError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"Copied {settings.database_path} to {args.file}")
    return 0
