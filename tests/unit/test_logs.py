"""The log on stderr: one line per event, libraries' chatter left out."""

import subprocess
import sys

from bot.core.paths import ROOT

SCRIPT = """
import logging
from matplotlib.figure import Figure
from bot.core.logs import configure

configure("INFO")
log = logging.getLogger("bot.demo")
axes = Figure().subplots()
axes.bar(["03/2026", "04/2026"], [1, 2])  # matplotlib: "Using categorical units ..."
axes.figure.savefig(__import__("io").BytesIO(), format="png")
logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot123:abc/getMe")
logging.getLogger("telegram.ext.Application").info("Application started")
log.info("first event")
log.warning("a text with\\na forged line")
try:
    raise ValueError("broken")
except ValueError:
    log.exception("failed event")
log.info("last event")
"""


def test_one_line_per_event_and_no_library_chatter() -> None:
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    events = [line.split(" ", 3)[3] for line in run.stderr.splitlines()]  # without date, level
    assert len(events) == 4, run.stderr
    assert events[0] == "bot.demo: first event"
    assert events[1] == "bot.demo: a text with\\na forged line"
    assert events[2].startswith("bot.demo: failed event\\nTraceback")
    assert events[2].endswith("ValueError: broken")
    assert events[3] == "bot.demo: last event"
