"""`python -m bot officer add|list|remove`: who may act for the commune."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.sanitize import clean_line
from bot.messaging.channels import Recipient
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
            result: int = await action(args, OfficerRepository(db, clock), AuditLog(db, clock))
            return result
        finally:
            await db.close()

    return asyncio.run(run())


async def _add(args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog) -> int:
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


async def _list(args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog) -> int:
    rows = await officers.all(include_inactive=args.all)
    if not rows:
        print(
            "No officers yet. Add one with: python -m bot officer add --user-id ID --role ROLE --name NAME"
        )
    for o in rows:
        state = "" if o.active else "  (removed)"
        print(f"{o.recipient.external_id:>12}  {o.name}  [{', '.join(sorted(o.roles))}]{state}")
    return 0


async def _remove(args: argparse.Namespace, officers: OfficerRepository, audit: AuditLog) -> int:
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
