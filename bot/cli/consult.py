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
from bot.consultations.model import Consultation, Kind, Question, QuestionType, Tally
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
    start.add_argument(
        "--question", action=_InOrder, required=True, help="a question; repeat for several"
    )
    start.add_argument(
        "--type", action=_InOrder, choices=[t.value for t in QuestionType],
        help="the type of the question before it (default single)",
    )  # fmt: skip
    start.add_argument("--option", action=_InOrder, help="an option of the question before it")
    start.add_argument(
        "--public-comments", action="store_true", help="show moderated comments with the result"
    )
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


class _InOrder(argparse.Action):
    """Keeps --question, --type and --option in the order typed: each belongs to a question."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
        values: Any, option_string: str | None = None,
    ) -> None:  # fmt: skip
        typed = [*(getattr(namespace, "typed", None) or []), (self.dest, values)]
        namespace.typed = typed


def questions_of(typed: list[tuple[str, str]], yesno: tuple[str, ...]) -> tuple[Question, ...]:
    """The questions the arguments describe; a yes/no question gets the `yesno` labels."""
    found: list[dict[str, Any]] = []
    for name, value in typed:
        if name == "question":
            found.append({"text": value, "type": QuestionType.SINGLE, "options": []})
        elif not found:
            raise rules.ConsultationError(rules.NO_QUESTION)
        elif name == "type":
            found[-1]["type"] = QuestionType(value)
        else:
            found[-1]["options"].append(value.strip())
    return tuple(
        Question(
            q["type"],
            q["text"],
            yesno if q["type"] is QuestionType.YESNO else tuple(o for o in q["options"] if o),
        )
        for q in found
    )


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
    with use_language(svc.settings.default_language):  # the labels citizens read
        yesno = tuple(_(label) for label in rules.YESNO_LABELS)
    questions = questions_of(getattr(args, "typed", []), yesno)
    proposal = Proposal(
        title=args.title,
        question=questions[0].text if questions else "",
        options=(),
        questions=questions,
        public_comments=args.public_comments,
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
    consultation, tallies = await svc.consultations.all_results(args.id)
    if args.json:
        print(json.dumps(all_figures(consultation, tallies), ensure_ascii=False, indent=2))
        return 0
    print(f"#{consultation.id} {consultation.title} [{consultation.kind}, {consultation.state}]")
    for index, tally in enumerate(tallies):
        _print_question(consultation, index, tally)
    return 0


def _print_question(consultation: Consultation, index: int, tally: Tally) -> None:
    asked = consultation.questions[index]
    number = f"{index + 1}. " if len(consultation.questions) > 1 else ""
    print(f"{number}{asked.text} [{asked.type}]")
    for label, count in zip(asked.options, tally.by_option(), strict=True):
        print(f"  {label}: {count}")
    base = tally.could_answer(consultation.kind)
    print(f"answered {tally.answered} of {base} (paper {tally.paper_total})")
    for village, counts in sorted(figures(consultation, tally)["by_village"].items()):
        print(f"  {village or '-'}: " + ", ".join(map(str, counts)))
    if asked.type is not QuestionType.COMMENT:
        decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
        print("decided: " + ("-" if decided is None else asked.options[decided]))


def all_figures(consultation: Consultation, tallies: tuple[Tally, ...]) -> dict[str, Any]:
    """The first question's figures at the top (as before several questions), then each."""
    return {
        **figures(consultation, tallies[0]),
        "questions": [figures(consultation, t) for t in tallies],
    }


def figures(consultation: Consultation, tally: Tally) -> dict[str, Any]:
    """One question's tally as plain JSON values: counts only, never a voter."""
    decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
    asked = tally.question
    return {
        "id": consultation.id,
        "title": consultation.title,
        "kind": consultation.kind.value,
        "state": consultation.state.value,
        "question": asked.text if asked else consultation.question,
        "type": asked.type.value if asked else QuestionType.SINGLE.value,
        "options": list(tally.options),
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
        "decided": None if decided is None else tally.options[decided],
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
