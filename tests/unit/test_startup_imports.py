"""Start-up loads only what the first answer needs (#10: the bot answers within 2 s of start).

Checked by what is loaded, not by a stopwatch (the figure is in
`tests/bench/bench_startup.py`): in a fresh interpreter, `python -m bot run`'s
imports, the Telegram application built and the services opened, as
`post_init` does before polling, load no Word, chart, image or holiday
library, and no module of a channel that is off.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.core.paths import ROOT

# Each is imported where it is used: a report, a chart, an image for the OA,
# a working-day count, a Zalo channel, the sandbox.
LATER = (
    "docx",
    "matplotlib",
    "PIL",
    "holidays",
    "handlers.zalo_bot",
    "handlers.zalo_oa",
    "sandbox",
)

START = """
import asyncio, json, sys
from pathlib import Path

import bot.cli.main  # what `python -m bot run` imports, then the launcher
import handlers.telegram.launcher
from bot.core.clock import SystemClock
from bot.core.config import load_settings
from bot.services import Services
from handlers.telegram.app import build_application

folder = Path(sys.argv[1])
settings = load_settings(
    {"BOT_TOKEN": "123456:" + "A" * 35, "DATABASE_URL": f"sqlite:///{folder}/danvan.db"},
    config_path=folder / "absent.toml",
    dotenv_path=folder / "absent.env",
)
build_application(settings)


async def open_and_close() -> None:
    services = await Services.open(settings, SystemClock())
    await services.close()


asyncio.run(open_and_close())
print(json.dumps(sorted(sys.modules)))
"""


def test_starting_the_bot_loads_no_report_chart_image_holiday_or_idle_channel_module(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", START, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    assert "telegram.ext" in loaded and "bot.services" in loaded  # it did start
    early = sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in LATER))
    assert early == []
