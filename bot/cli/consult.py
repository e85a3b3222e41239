"""`python -m bot consult open|results|close`: consultations from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.cli.broadcast import CLI_AUTHOR
from bot.consultations import rules
from bot.consultations.model import Consultation, Kind, Tally
from bot.consultations.service import Proposal
from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.i18n import _, use_language
from bot.outreach.audience import Audience, AudienceError
from bot.outreach.schedule_parse import WhenError, parse_when

if TYPE_CHECKING:  # the services import every feature: only when a command runs
    from bot.services import Services

Command = Callable[[argparse.Namespace, "Services"], Awaitable[int]]


def add_parser(sub: Any) -> None:
    consult = sub.add_parser("consult", help="open, follow and close consultations and votes")
    actions = consult.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser("open", help="open a consultation and invite its audience")
    start.add_argument("--title", required=True)
    start.add_argument("--question", required=True)
    start.add_argument("--option", action="append", required=True, help="an answer; repeat")
    start.add_argument("--summary", default="", help="what citizens read before answering")
    start.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.POLL.value)
    start.add_argument("--audience", default="all", help="all, village:ID[,ID] or topic:ID[,ID]")
    start.add_argument("--opens", help="when to invite, e.g. '8h sáng mai' (default: now)")
    start.add_argument("--closes", required=True, help="when answers stop, e.g. '20/12 17:00'")
    _command(start, _open)
    results = actions.add_parser("results", help="the tally: by option, village, turnout")
    results.add_argument("id", type=int)
    results.add_argument("--json", action="store_true", help="machine-readable output")
    _command(results, _results)
    close = actions.add_parser("close", help="close now and send the result")
    close.add_argument("id", type=int)
    _command(close, _close)


def _command(parser: argparse.ArgumentParser, command: Command) -> None:
    parser.set_defaults(
        func=lambda args, settings: asyncio.run(_with_services(settings, args, command))
    )


async def _with_services(settings: Settings, args: argparse.Namespace, command: Command) -> int:
    from bot.services import Services

    svc = await Services.open(settings, SystemClock())
    try:
        with use_language("en"):  # the operator's language, as the other commands
            try:
                return await command(args, svc)
            except (rules.ConsultationError, AudienceError, WhenError) as exc:
                print(f"Error: {_problem(exc)}", file=sys.stderr)
                return 2
    finally:
        await svc.close()


def _problem(exc: Exception) -> str:
    if isinstance(exc, rules.ConsultationError):
        return _(exc.text)
    if isinstance(exc, WhenError):
        return f"cannot use that date-time ({exc.reason})"
    return str(exc).strip("'\"")


async def _open(args: argparse.Namespace, svc: Services) -> int:
    now, tz = svc.clock.now(), svc.settings.timezone
    closes = parse_when(args.closes, now, tz)
    opens = parse_when(args.opens, now, tz) if args.opens else None
    if closes is None:
        raise WhenError("past")
    proposal = Proposal(
        title=args.title,
        question=args.question,
        options=tuple(args.option),
        closes_at=closes,
        kind=Kind(args.kind),
        audience=Audience.parse(args.audience, svc.settings),
        summary=args.summary,
        opens_at=opens,
    )
    consultation = await svc.consultations.open(CLI_AUTHOR, None, proposal)
    print(consultation.id)
    local = closes.astimezone(tz)
    print(
        f"Consultation #{consultation.id}: {consultation.eligible} may answer;"
        f" closes {local:%Y-%m-%d %H:%M}. The running bot sends the invitation.",
        file=sys.stderr,
    )
    return 0


async def _results(args: argparse.Namespace, svc: Services) -> int:
    consultation, tally = await svc.consultations.results(args.id)
    if args.json:
        print(json.dumps(figures(consultation, tally), ensure_ascii=False, indent=2))
        return 0
    print(f"#{consultation.id} {consultation.title} [{consultation.kind}, {consultation.state}]")
    print(consultation.question)
    for label, count in zip(consultation.options, tally.by_option(), strict=True):
        print(f"  {label}: {count}")
    base = tally.could_answer(consultation.kind)
    print(f"answered {tally.answered} of {base} (paper {tally.paper_total})")
    for village, counts in sorted(figures(consultation, tally)["by_village"].items()):
        print(f"  {village or '-'}: " + ", ".join(map(str, counts)))
    decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
    print("decided: " + ("-" if decided is None else consultation.options[decided]))
    return 0


def figures(consultation: Consultation, tally: Tally) -> dict[str, Any]:
    """The tally as plain JSON values: counts only, never a voter."""
    decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
    return {
        "id": consultation.id,
        "title": consultation.title,
        "kind": consultation.kind.value,
        "state": consultation.state.value,
        "options": list(consultation.options),
        "counts": list(tally.by_option()),
        "online": {v or "": list(c) for v, c in tally.online.items()},
        "paper": {v or "": list(c) for v, c in tally.paper.items()},
        "by_village": {
            v or "": [a + b for a, b in zip(*_rows(tally, v), strict=True)]
            for v in set(tally.online) | set(tally.paper)
        },
        "answered": tally.answered,
        "eligible": tally.eligible,
        "comments": len(tally.comments),
        "anonymised": tally.anonymised,
        "decided": None if decided is None else consultation.options[decided],
    }


async def _close(args: argparse.Namespace, svc: Services) -> int:
    consultation = await svc.consultations.close(args.id)
    tally = await svc.consultations.repo.tally(consultation.id)
    print(
        f"Closed #{consultation.id}: {tally.answered} answered; the running bot sends the result."
    )
    return 0


def _rows(tally: Tally, village: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    empty = (0,) * len(tally.options)
    return tally.online.get(village, empty), tally.paper.get(village, empty)
