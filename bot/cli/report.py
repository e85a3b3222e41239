"""`python -m bot report --period 2026-Q3 --out FILE.docx [--csv FILE.csv]`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.i18n import use_language
from bot.reports.labels import describe_period
from bot.reports.period import PeriodError
from bot.reports.service import ReportService, connected_sources


def add_parser(sub: Any) -> None:
    report = sub.add_parser("report", help="write the periodic report as a Word file (and CSV)")
    report.add_argument(
        "--period",
        help="2026-03, 2026-Q3, 2026-H1, 2026, 2026-01-15..2026-03-31, 'quý 3/2026'..."
        " (default: last month)",
    )
    report.add_argument("--out", type=Path, required=True, help="the .docx file to write")
    report.add_argument("--csv", type=Path, help="also write the figures to this CSV file")
    report.add_argument("--charts", type=Path, help="also write the charts as PNG to this folder")
    report.set_defaults(func=lambda args, settings: asyncio.run(_report(args, settings)))


async def _report(args: argparse.Namespace, settings: Settings) -> int:
    db = await Database.open(settings.database_path)
    try:
        clock = SystemClock()
        service = ReportService(connected_sources(db, settings, clock), settings, clock)
        try:
            period = service.parse(args.period) if args.period else service.default_period()
            files = await service.build(period)
        except PeriodError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 2
    finally:
        await db.close()
    outputs = [(args.out, files.docx)] + ([(args.csv, files.csv)] if args.csv else [])
    if args.charts:
        outputs += [
            (args.charts / f"{files.stem}-chart{number}.png", chart.png)
            for number, chart in enumerate(files.charts, 1)
        ]
    try:
        written = [_write(path, data) for path, data in outputs]
    except OSError as exc:
        print(f"Error: cannot write {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    with use_language("vi"):
        print(f"Report for {period.key} ({describe_period(period)}):")
    for line in written:
        print(f"  {line}")
    for left_out in files.missing_charts:  # too little data: said, not drawn
        print(f"  no chart: {left_out.title} ({left_out.reason})")
    return 0


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return f"{path} ({len(data) // 1024 + 1} KB)"
