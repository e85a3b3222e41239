"""`python -m bot content check` and `python -m bot broadcast`: outreach from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.i18n import _, use_language
from bot.messaging.channels import Recipient
from bot.messaging.delivery import Delivery, Progress
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.messages import OutgoingMessage
from bot.messaging.notify import OpenChannels
from bot.messaging.outbox import Counts, Lease
from bot.outreach.audience import Audience, AudienceError
from bot.outreach.library.items import LIBRARY_DIR, load_folder
from bot.outreach.library.render import item_message
from bot.outreach.schedule_parse import WhenError, parse_when
from bot.people.audit import AuditLog

if TYPE_CHECKING:  # the services import every feature: only when a command runs
    from bot.services import Services

CLI_AUTHOR = Recipient("cli", "operator")


def add_parser(sub: Any) -> None:
    content = sub.add_parser("content", help="check the content library")
    actions = content.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate content/library; exit 1 on errors")
    check.add_argument("--folder", type=Path, default=LIBRARY_DIR, help="the folder to check")
    check.set_defaults(func=_check)
    send = sub.add_parser("broadcast", help="send or schedule a post to citizens")
    what = send.add_mutually_exclusive_group(required=True)
    what.add_argument("--item", help="id of a library item")
    what.add_argument("--text", help="plain text to send")
    send.add_argument("--audience", default="all", help="all, village:ID[,ID] or topic:ID[,ID]")
    send.add_argument("--topic", help="topic id the post is filed under")
    send.add_argument("--at", help="when, e.g. '25/12 8:00' or '8h sáng mai' (default: now)")
    send.set_defaults(func=lambda args, settings: asyncio.run(_broadcast(args, settings)))


def _check(args: argparse.Namespace, settings: Settings) -> int:
    items, problems = load_folder(args.folder, settings)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(items)} items OK, {len(problems)} files with errors in {args.folder}")
    return 1 if problems else 0


async def _broadcast(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services import Services

    svc = await Services.open(settings, SystemClock())
    try:
        await svc.library.sync(settings)
        try:
            broadcast_id = await _compose(args, svc)
        except (AudienceError, WhenError, LookupError) as exc:
            print(f"Error: {_problem(exc)}", file=sys.stderr)
            return 2
        broadcast = await svc.broadcasts.get(broadcast_id)
        assert broadcast is not None
        if broadcast.state == "scheduled" and broadcast.send_at is not None:
            local = broadcast.send_at.astimezone(settings.timezone)
            print(
                f"Scheduled broadcast #{broadcast.id} for {local:%Y-%m-%d %H:%M} {local.tzname()};"
            )
            print("the running bot sends it at that time.")
            return 0
        print(f"Broadcast #{broadcast.id}: {broadcast.total} recipients")
        if broadcast.total == 0:
            return 0
        if await Lease(svc.db).held_by_other():
            return await _watch(svc, broadcast.id)
        return await _deliver(svc, broadcast.id, args.open_channels)
    finally:
        await svc.close()


async def _compose(args: argparse.Namespace, svc: Services) -> int:
    settings = svc.settings
    audience = Audience.parse(args.audience, settings)
    if args.topic and settings.topic(args.topic) is None:
        raise LookupError(f"unknown topic {args.topic!r}")
    when = parse_when(args.at, svc.clock.now(), settings.timezone) if args.at else None
    if args.item:
        item = await svc.library.get(args.item)
        if item is None:
            raise LookupError(f"no library item {args.item!r} (see content/library)")
        with use_language(settings.default_language):
            message = item_message(item, _("📖 Read more"))
    else:
        message = OutgoingMessage(args.text)
    draft = await svc.broadcasts.start_draft(CLI_AUTHOR, None)
    await svc.broadcasts.update_draft(
        CLI_AUTHOR,
        draft.id,
        message=message,
        item_id=args.item,
        topic_id=args.topic,
        audience=audience,
        send_at=when,
    )
    await svc.broadcasts.confirm(CLI_AUTHOR, draft.id)
    await AuditLog(svc.db, svc.clock).record(
        CLI_AUTHOR, "broadcast:confirm", target=str(draft.id), detail=str(audience)
    )
    return draft.id


def _problem(exc: Exception) -> str:
    if isinstance(exc, WhenError):
        return f"--at: cannot use that date-time ({exc.reason})"
    return str(exc).strip("'\"")


def _line(counts: Counts, rate: float) -> str:
    # Not sent, never retried: the recipients had not written within Zalo's window.
    outside = f" · outside Zalo's window {counts.outside}" if counts.outside else ""
    return (
        f"sent {counts.sent} · failed {counts.failed} · blocked {counts.blocked}{outside}"
        f" · remaining {counts.remaining} · {rate:.1f}/s"
    )


async def _watch(svc: Services, broadcast_id: int) -> int:
    """The running bot delivers; show how it goes until the end."""
    print("The running bot is delivering it:")
    start = time.monotonic()
    while True:
        counts = await svc.outbox.counts(broadcast_id)
        rate = counts.sent / max(time.monotonic() - start, 1e-6)
        print(_line(counts, rate), flush=True)
        if counts.remaining == 0:
            return 0
        await asyncio.sleep(2.0)


async def _deliver(svc: Services, broadcast_id: int, open_channels: OpenChannels) -> int:
    """No bot is running: deliver from here, through the same sender, until this broadcast is done."""
    settings = svc.settings
    if not (settings.bot_token or settings.zalo_bot.token):
        print("Queued; no bot is running and no token is set: start the bot to send it.")
        return 0
    policy = DeliveryPolicy.from_settings(settings)
    async with open_channels(settings, policy, svc.files) as channels:
        delivery = Delivery(svc.outbox, Lease(svc.db), channels, policy)

        async def report(progress: Progress) -> None:
            await svc.broadcasts.on_progress(progress)
            if progress.broadcast_id == broadcast_id:
                print(_line(progress.counts, progress.rate), flush=True)
                for channel, reason in delivery.down().items():
                    print(f"paused: {channel} is down ({reason}); trying again", flush=True)
                if progress.finished:
                    await delivery.stop()

        delivery.listeners.append(report)
        await delivery.run()
    return 0
