"""Logging to stderr, one line per event, with no citizen's words or token at INFO."""

from __future__ import annotations

import logging
import sys

# httpx logs every request URL at INFO, and the URL holds the bot token;
# APScheduler logs every job run; matplotlib says "Using categorical units"
# for each chart with month labels and lists the fonts it looks at; PIL
# logs PNG chunks; PTB's Application says "started"/"stopping", which the
# runner already says. None of these is an event worth a line.
_NOISY = (
    "httpx",
    "httpcore",
    "apscheduler",
    "tornado.access",
    "matplotlib",
    "PIL",
    "telegram.ext.Application",
)


class OneLineFormatter(logging.Formatter):
    """Keep each event on one line: a newline in a message or a traceback is written `\\n`.

    A line per event is what journald, `docker logs` and grep expect, and a
    text with a newline (an error message quoting a citizen's input) cannot
    forge a second log line.
    """

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")


def configure(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_libraries(level)


def quiet_libraries(level: str = "INFO") -> None:
    """Keep chatty libraries at WARNING or above, whatever the bot's level."""
    threshold = max(logging.WARNING, logging.getLevelNamesMapping()[level])
    for name in _NOISY:
        logging.getLogger(name).setLevel(threshold)
