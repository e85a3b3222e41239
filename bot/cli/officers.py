"""`python -m bot officer add|list|remove`: who may act for the commune."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient
from bot.messaging.outbox import Outbox, Unreachable
from bot.people.audit import AuditLog
from bot.people.officers import DuplicateOfficer, OfficerRepository, Role, UnknownRole

CLI_ACTOR = Recipient("cli", "operator")
# Where the officer talks to the bot. Telegram and the Zalo OA name people by
# number; the Zalo Bot by a string the bot maps to a number of its own.
CHANNELS = ("telegram", "zalo_oa", "zalo_bot")
NUMERIC = frozenset({"telegram", "zalo_oa"})
CHANNEL_ARGS = ("--channel",)
CHANNEL_OPTIONS: dict[str, Any] = {
    "default": "telegram",
    "choices": CHANNELS,
    "help": "the channel of --user-id (default telegram)",
}


def add_parser(sub: Any) -> None:
    officer = sub.add_parser("officer", help="add, list or remove officers")
    actions = officer.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make a Telegram or Zalo user an officer")
    add.add_argument(
        "--user-id",
        required=True,
        help="the officer's user id on the channel: Telegram's or the Zalo OA's number,"
        " or the Zalo Bot's id",
    )
    add.add_argument(
        "--role",
        required=True,
        action="append",
        help=f"one of {', '.join(r.value for r in Role)}; repeat or separate by commas",
    )
    add.add_argument("--name", required=True, help="the officer's name as colleagues know it")
    add.add_argument(*CHANNEL_ARGS, **CHANNEL_OPTIONS)
    add.set_defaults(func=lambda args, settings: _call(_add, args, settings))
    listing = actions.add_parser("list", help="list officers and their roles")
    listing.add_argument("--all", action="store_true", help="include removed officers")
    listing.set_defaults(func=lambda args, settings: _call(_list, args, settings))
    remove = actions.add_parser("remove", help="take away a user's officer rights")
    remove.add_argument("--user-id", required=True)
    remove.add_argument(*CHANNEL_ARGS, **CHANNEL_OPTIONS)
    remove.set_defaults(func=lambda args, settings: _call(_remove, args, settings))


def _call(action: Any, args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> int:
        db = await Database.open(settings.database_path)
        try:
            clock = SystemClock()
            officers, audit, outbox = (
                OfficerRepository(db, clock),
                AuditLog(db, clock),
                Outbox(db, clock),
            )
            if args.action != "list":
                problem = await _resolve(args, db)
                if problem:
                    return _fail(problem)
            result: int = await action(args, officers, audit, outbox)
            return result
        finally:
            await db.close()

    return asyncio.run(run())


async def _add(
    args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog, outbox: Outbox
) -> int:
    if not clean_line(args.name):  # what the repository stores: invisible characters dropped
        return _fail("--name must not be empty")
    try:
        roles = {Role.parse(r) for value in args.role for r in value.split(",") if r.strip()}
        officer = await officers.add(Recipient(args.channel, args.external_id), args.name, roles)
    except (UnknownRole, DuplicateOfficer) as exc:
        return _fail(str(exc))
    await audit.record(
        CLI_ACTOR, "officer:add", target=args.user_id, detail=",".join(sorted(roles))
    )
    print(f"Added {officer.name} ({args.user_id}) with roles: {', '.join(sorted(officer.roles))}")
    return 0


async def _resolve(args: argparse.Namespace, db: Database) -> str | None:
    """Check --user-id for its channel and set `args.external_id`; a problem, or None."""
    user_id = args.user_id.strip()
    if args.channel in NUMERIC and not user_id.isdigit():
        return f"--user-id must be a numeric {args.channel} user id, got {args.user_id!r}"
    if not user_id or any(c.isspace() for c in user_id):
        return f"--user-id must be one word, got {args.user_id!r}"
    if args.channel == "zalo_bot":  # the number the Zalo Bot channel knows this person by
        user_id = await args.zalo_bot_number(db, user_id)
    args.external_id = user_id
    return None


async def _list(
    args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog, outbox: Outbox
) -> int:
    rows = await officers.all(include_inactive=args.all)
    if not rows:
        print(
            "No officers yet. Add one with: python -m bot officer add --user-id ID --role ROLE --name NAME"
        )
    unreachable = await outbox.unreachable()
    for o in rows:
        state = "" if o.active else "  (removed)"
        where = "" if o.recipient.channel == "telegram" else f"  ({o.recipient.channel})"
        print(
            f"{o.recipient.external_id:>12}  {o.name}  [{', '.join(sorted(o.roles))}]{where}{state}"
        )
        if o.recipient in unreachable:
            print(f"{'':>12}  {_unreachable_line(unreachable.pop(o.recipient))}")
    for recipient, problem in unreachable.items():  # the officers' group, for one
        print(f"{recipient.external_id:>12}  (a chat, not an officer)")
        print(f"{'':>12}  {_unreachable_line(problem)}")
    return 0


def _unreachable_line(problem: Unreachable) -> str:
    """Why the bot cannot reach an officer, and what to do about it."""
    minutes = max(0, int(time.time() - problem.since) // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    ago = (
        f"{days} d {hours} h" if days else f"{hours} h {minutes} min" if hours else f"{minutes} min"
    )
    waiting = f"{problem.waiting} message(s) waiting" if problem.waiting else "messages dropped"
    return (
        f"! cannot be reached for {ago} ({problem.reason}); {waiting}."
        " They must open the bot and press Start."
    )


async def _remove(
    args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog, outbox: Outbox
) -> int:
    try:
        officer = await officers.deactivate(Recipient(args.channel, args.external_id))
    except LookupError as exc:
        return _fail(str(exc))
    await audit.record(CLI_ACTOR, "officer:remove", target=args.user_id)
    print(f"Removed officer rights of {officer.name} ({args.user_id})")
    return 0


def _fail(message: str) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return 2
