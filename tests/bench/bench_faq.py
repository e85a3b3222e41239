"""FAQ benchmark (`make bench`, not collected by pytest): answer latency and import time at 10,000 entries.

Entries are made from the shipped FAQ's own words, so the vocabulary and
term frequencies look like real Vietnamese procedure text; the queries are
the realistic test set. Then hostile questions (a 4,096-letter word, 4,096
random letters, 1,000 short mistyped words), each one new: their answer
time, and the peak memory they add (tracemalloc). Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bot.core.clock import SystemClock
from bot.core.config import load_settings
from bot.core.db import Database
from bot.core.paths import ROOT
from bot.faq.content import load_content
from bot.faq.csv_io import read_csv
from bot.faq.service import FaqService
from bot.messaging.channels import Recipient

sys.path.insert(0, str(ROOT))
from tests.faq_queries import QUERIES

ENTRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
ASKS = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
HOSTILE_ASKS = int(sys.argv[3]) if len(sys.argv) > 3 else 200  # of each kind
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệóòỏõọ"


def write_rows(path: Path, count: int, seed: int = 5) -> None:
    """A CSV of `count` entries in the shipped FAQ's words."""
    rng = random.Random(seed)
    words = [w for e in load_content() for w in (e.draft.question + " " + e.draft.answer).split()]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer", "keywords", "topic"])
        for n in range(count):
            question = " ".join(rng.choices(words, k=rng.randint(6, 14))) + f" số {n}?"
            answer = " ".join(rng.choices(words, k=rng.randint(40, 120)))
            writer.writerow([question, answer, ", ".join(rng.choices(words, k=3)), "Thử"])


def hostile_kinds(rng: random.Random) -> dict[str, Callable[[], str]]:
    """Makers of hostile questions, a new one at each call."""
    words = {w for e in load_content() for w in e.draft.answer.lower().split() if w.isalpha()}
    short = sorted(w for w in words if 2 <= len(w) <= 5)

    def slipped(word: str) -> str:  # one letter changed: the typo repair's most work
        at = rng.randrange(len(word))
        return word[:at] + rng.choice(LETTERS) + word[at + 1 :]

    return {
        "a 4,096-letter word": lambda: "".join(rng.choices(LETTERS, k=4_096)),
        "4,096 random letters": lambda: "".join(rng.choices(LETTERS + " " * 8 + ",.?!", k=4_096)),
        "1,000 short words": lambda: " ".join(slipped(rng.choice(short)) for _ in range(1_000)),
    }


async def hostile(faq: FaqService) -> None:
    """Answer time of hostile questions, then the peak memory they add."""
    kinds = hostile_kinds(random.Random(7))
    asker = Recipient.telegram(2)
    for label, make in kinds.items():
        timings, cpu = [], []
        for _ in range(HOSTILE_ASKS):
            text = make()
            start, start_cpu = time.perf_counter(), time.process_time()
            await faq.ask(text, asker)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        # CPU time too: on a shared machine the wall time mostly measures the neighbours.
        print(
            f"hostile question, {label} ({HOSTILE_ASKS} different ones): "
            f"p50 {statistics.median(timings):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, "
            f"worst {max(timings):.1f} ms (goal p99 < 50 ms); "
            f"CPU p50 {statistics.median(cpu):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms"
        )
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for make in kinds.values():
        for _ in range(max(1, HOSTILE_ASKS // 4)):
            await faq.ask(make(), asker)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    print(f"peak memory added by hostile questions: {peak / 2**20:.1f} MB (goal < 20 MB)")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = load_settings(
            {"DATABASE_URL": f"sqlite:///{root}/bench.db"},
            config_path=root / "absent.toml",
            dotenv_path=root / "absent.env",
        )
        rows = root / "faq.csv"
        write_rows(rows, ENTRIES)
        db = await Database.open(settings.database_path)
        clock = SystemClock()
        faq = await FaqService.open(db, clock, settings)

        start = time.perf_counter()
        parsed = read_csv(rows)
        report = await faq.import_drafts(parsed.drafts)
        imported = time.perf_counter() - start
        print(f"import of {ENTRIES:,} CSV rows: {imported:.2f} s ({report.added:,} added)")

        questions = [q for _, q, _ in QUERIES]
        for label, asker in (("match only", None), ("match + log", Recipient.telegram(1))):
            timings = []
            for n in range(ASKS):
                start = time.perf_counter()
                await faq.ask(questions[n % len(questions)], asker)
                timings.append((time.perf_counter() - start) * 1000)
            print(
                f"answer latency, {await faq.entries.count():,} entries, {label}:"
                f" p50 {statistics.median(timings):.2f} ms,"
                f" p99 {percentile(timings, 0.99):.2f} ms (goal p99 < 10 ms)"
            )
        await hostile(faq)
        await db.close()


if __name__ == "__main__":
    asyncio.run(main())
