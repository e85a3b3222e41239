"""`python -m bot faq import|export|ask`: the FAQ from the command line, for officers."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.faq.csv_io import CsvFileError, read_csv, write_csv
from bot.faq.service import FaqService, Reply

Action = Callable[[argparse.Namespace, FaqService], Awaitable[int]]


def add_parser(sub: Any) -> None:
    faq = sub.add_parser("faq", help="import, export or try the FAQ")
    actions = faq.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="add or update entries from a CSV file")
    imp.add_argument("file", type=Path, help="CSV: question,answer[,keywords,topic,...]")
    imp.add_argument("--dry-run", action="store_true", help="check the file, change nothing")
    imp.set_defaults(func=lambda args, settings: _call(_import, args, settings))
    exp = actions.add_parser("export", help="write every entry to a CSV file Excel can open")
    exp.add_argument("file", type=Path)
    exp.set_defaults(func=lambda args, settings: _call(_export, args, settings))
    ask = actions.add_parser("ask", help="show how the bot would answer a question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    ask.set_defaults(func=lambda args, settings: _call(_ask, args, settings))


def _call(action: Action, args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> int:
        db = await Database.open(settings.database_path)
        try:
            # No desk: the command line sends no question to the officers.
            faq = await FaqService.open(db, SystemClock(), settings)
            return await action(args, faq)
        finally:
            await db.close()

    return asyncio.run(run())


async def _import(args: argparse.Namespace, faq: FaqService) -> int:
    try:
        parsed = read_csv(args.file)
    except CsvFileError as exc:
        print(f"Error: {exc}. Nothing was imported.", file=sys.stderr)
        return 2
    for problem in parsed.problems:
        print(f"{args.file}:{problem.line}: skipped: {problem.problem}", file=sys.stderr)
    if args.dry_run:
        print(f"{len(parsed.drafts)} rows are fine, {len(parsed.problems)} would be skipped.")
        return 1 if parsed.problems else 0
    report = await faq.import_drafts(parsed.drafts)
    print(
        f"Imported {report.added} new and {report.updated} updated entries;"
        f" {len(parsed.problems)} rows skipped."
    )
    return 1 if parsed.problems else 0


async def _export(args: argparse.Namespace, faq: FaqService) -> int:
    try:
        count = write_csv(args.file, await faq.entries.all())
    except OSError as exc:
        print(f"Error: cannot write {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"Wrote {count} entries to {args.file}")
    return 0


async def _ask(args: argparse.Namespace, faq: FaqService) -> int:
    reply = await faq.ask(args.question)
    if args.json:
        print(json.dumps(_as_json(faq, args.question, reply), ensure_ascii=False, indent=2))
        return 0
    print(f"Verdict: {reply.verdict.value}")
    for rank, match in enumerate(reply.matches, 1):
        print(
            f"{rank}. [{match.entry.id}] {match.entry.question}"
            f"  (coverage {match.coverage:.2f}, bm25 {match.score:.2f})"
        )
    if reply.best is not None:
        print()
        print(reply.best.entry.answer)
    return 0


def _as_json(faq: FaqService, question: str, reply: Reply) -> dict[str, Any]:
    return {
        "question": question,
        "understood_as": list(faq.matcher.analyze(question).terms),
        "verdict": reply.verdict.value,
        "matches": [
            {
                "id": m.entry.id,
                "slug": m.entry.slug,
                "question": m.entry.question,
                "coverage": round(m.coverage, 3),
                "bm25": round(m.score, 3),
                "answer": m.entry.answer,
            }
            for m in reply.matches
        ],
    }
