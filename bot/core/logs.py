"""Logging to stderr, one line per event, with no citizen's words or token at INFO."""

from __future__ import annotations

import logging
import sys

# httpx logs every request URL at INFO, and the URL holds the bot token;
# APScheduler logs every job run. Neither is an event worth a line.
_NOISY = ("httpx", "httpcore", "apscheduler", "tornado.access")


def configure(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    quiet_libraries(level)


def quiet_libraries(level: str = "INFO") -> None:
    """Keep chatty libraries at WARNING or above, whatever the bot's level."""
    threshold = max(logging.WARNING, logging.getLevelNamesMapping()[level])
    for name in _NOISY:
        logging.getLogger(name).setLevel(threshold)
