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


def add_parser(sub: Any) -> None:
    officer = sub.add_parser("officer", help="add, list or remove officers")
    actions = officer.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="make a Telegram user an officer")
    add.add_argument("--user-id", required=True, help="the officer's numeric Telegram user id")
    add.add_argument(
        "--role",
        required=True,
        action="append",
        help=f"one of {', '.join(r.value for r in Role)}; repeat or separate by commas",
    )
    add.add_argument("--name", required=True, help="the officer's name as colleagues know it")
    add.add_argument("--channel", default="telegram", help=argparse.SUPPRESS)
    add.set_defaults(func=lambda args, settings: _call(_add, args, settings))
    listing = actions.add_parser("list", help="list officers and their roles")
    listing.add_argument("--all", action="store_true", help="include removed officers")
    listing.set_defaults(func=lambda args, settings: _call(_list, args, settings))
    remove = actions.add_parser("remove", help="take away a user's officer rights")
    remove.add_argument("--user-id", required=True)
    remove.add_argument("--channel", default="telegram", help=argparse.SUPPRESS)
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
            result: int = await action(args, officers, audit, outbox)
            return result
        finally:
            await db.close()

    return asyncio.run(run())


async def _add(
    args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog, outbox: Outbox
) -> int:
    if args.channel == "telegram" and not args.user_id.isdigit():
        return _fail(f"--user-id must be a Telegram numeric id, got {args.user_id!r}")
    if not clean_line(args.name):  # what the repository stores: invisible characters dropped
        return _fail("--name must not be empty")
    try:
        roles = {Role.parse(r) for value in args.role for r in value.split(",") if r.strip()}
        officer = await officers.add(Recipient(args.channel, args.user_id), args.name, roles)
    except (UnknownRole, DuplicateOfficer) as exc:
        return _fail(str(exc))
    await audit.record(
        CLI_ACTOR, "officer:add", target=args.user_id, detail=",".join(sorted(roles))
    )
    print(f"Added {officer.name} ({args.user_id}) with roles: {', '.join(sorted(officer.roles))}")
    return 0


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
        print(f"{o.recipient.external_id:>12}  {o.name}  [{', '.join(sorted(o.roles))}]{state}")
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
        officer = await officers.deactivate(Recipient(args.channel, args.user_id))
    except LookupError as exc:
        return _fail(str(exc))
    await audit.record(CLI_ACTOR, "officer:remove", target=args.user_id)
    print(f"Removed officer rights of {officer.name} ({args.user_id})")
    return 0


def _fail(message: str) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return 2
