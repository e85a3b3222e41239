"""`python -m bot` under cProfile, profiling only between SIGUSR1 and SIGUSR2.

A benchmark wants the cost of the load it plays, not of start-up or of the
invitations sent before it: it sends SIGUSR1 when its load begins and
SIGUSR2 when it ends; the statistics go to the file named by the first
argument. The rest of the arguments are those of `python -m bot`.
The event loop runs in the main thread, where signal handlers run too, so
the profile covers the handlers, PTB and httpx; SQLite's own work runs in
aiosqlite's thread and is not in it.
"""

from __future__ import annotations

import cProfile
import signal
import sys
import time
from types import FrameType

from bot.cli.main import main


def install(path: str) -> None:
    # CPU time of this thread, not wall time: on a busy machine wall time
    # charges to whatever ran when the process was preempted.
    profile = cProfile.Profile(time.thread_time)

    def start(_signal: int, _frame: FrameType | None) -> None:
        profile.enable()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        profile.disable()
        profile.dump_stats(path)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)


if __name__ == "__main__":
    install(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
