"""`python -m bot` under cProfile, profiling only between SIGUSR1 and SIGUSR2.

A benchmark wants the cost of the load it plays, not of start-up or of the
invitations sent before it: it sends SIGUSR1 when its load begins (once
`listening(pid)`) and SIGUSR2 when it ends; the statistics go to the file
named by the first argument. The rest of the arguments are those of
`python -m bot`. The event loop runs in the main thread, where signal
handlers run too, so the profile covers the handlers, PTB and the HTTP
client; SQLite's own work runs in aiosqlite's thread and is not in it.
"""

from __future__ import annotations

import cProfile
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType


def install(path: str) -> None:
    # CPU time of this thread, not wall time: on a busy machine wall time
    # charges to whatever ran when the process was preempted.
    profile = cProfile.Profile(time.thread_time)

    def start(_signal: int, _frame: FrameType | None) -> None:
        profile.enable()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        profile.disable()
        # Whole or not at all: a benchmark waits for the file to appear, then kills.
        profile.dump_stats(f"{path}.part")
        os.replace(f"{path}.part", path)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)


def listening(pid: int, timeout: float = 60.0) -> None:
    """Wait until the process `pid` handles SIGUSR1 (before, the signal would kill it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(next(x for x in status.splitlines() if x.startswith("SigCgt:")).split()[1], 16)
        if caught >> (signal.SIGUSR1 - 1) & 1:
            return
        time.sleep(0.05)
    raise TimeoutError(f"process {pid} does not handle SIGUSR1")


def written(path: Path, timeout: float = 60.0) -> None:
    """Wait until the profile the SIGUSR2 asked for is in `path` (it appears whole)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no profile written to {path}")
        time.sleep(0.05)


if __name__ == "__main__":
    install(sys.argv[1])
    from bot.cli.main import main  # after the handlers: a signal never finds the default

    sys.exit(main(sys.argv[2:]))
