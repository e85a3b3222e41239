"""Logging to stderr, one line per event, with no citizen's words at INFO."""

from __future__ import annotations

import logging
import sys


def configure(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # httpx logs every request URL at INFO, and the URL holds the bot token;
    # APScheduler logs every job run. Neither is an event worth a line.
    for noisy in ("httpx", "httpcore", "apscheduler", "tornado.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
