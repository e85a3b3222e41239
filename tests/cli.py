"""`python -m bot …` run inside the test process: its exit code and output, no new interpreter.

A spawned `python -m bot` costs about 0.7 s of CPU in imports, and the
suite ran some eighty of them. `run_cli` calls the same `bot.cli.main.main`
the entry point calls, with the command's own environment, and hands back
what `subprocess.run(..., capture_output=True, text=True)` would. A few
tests still spawn the real entry point (`test_officers_and_help.py`,
`test_check.py`, `test_make_run.py`, `test_crash.py`), so it stays covered.

Nothing leaks into the next test:
- the command runs in a thread of its own, so its event loop, its i18n
  context and any `asyncio.run` never meet the test's loop;
- its settings come from the mapping given, never from `os.environ`;
- `configure()` replaces the root logger's handlers and sets levels: both
  are put back as they were, and the command's handlers are closed;
- only that thread's writes to stdout/stderr are captured; the test's own
  (the sandbox, a bot running in the test) go where they went.
"""

from __future__ import annotations

import contextvars
import io
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TextIO

from bot.cli.main import main

# The running command's captured output, per stream, set in the command's thread
# only (and in the threads it starts with `asyncio.to_thread`, which copy it).
_captured: contextvars.ContextVar[dict[str, io.StringIO] | None] = contextvars.ContextVar(
    "captured", default=None
)
# One command at a time: logging and sys.stdout are process-wide.
_one_at_a_time = threading.Lock()


class _Routed(io.TextIOBase):
    """A stand-in for sys.stdout/sys.stderr: the command's writes to its buffer, others on."""

    def __init__(self, name: str, fallback: TextIO) -> None:
        self._name = name
        self._fallback = fallback

    def write(self, text: str) -> int:
        captured = _captured.get()
        if captured is None:
            return self._fallback.write(text)
        return captured[self._name].write(text)

    def flush(self) -> None:
        if _captured.get() is None:
            self._fallback.flush()

    def isatty(self) -> bool:
        return False  # argparse and logging format for a pipe, as under subprocess

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fallback, name)


def run_cli(
    *args: str, env: Mapping[str, str], timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot *args` with the environment `env`, in this process.

    Blocking, like `subprocess.run`: from a test whose event loop serves the
    sandbox, call it through `asyncio.to_thread`.
    """
    argv = ["python", "-m", "bot", *args]
    captured = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    outcome: list[int | BaseException] = []

    def command() -> None:
        _captured.set(captured)
        try:
            outcome.append(main(list(args), dict(env)))
        except SystemExit as exc:  # argparse's errors and --help
            outcome.append(_exit_code(exc.code, captured["stderr"]))
        except BaseException as exc:
            outcome.append(exc)

    with _one_at_a_time, _streams_routed(), _logging_restored():
        # A fresh thread starts with an empty context: the test's language and
        # loop are not the command's.
        thread = threading.Thread(target=command, name="python -m bot", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise subprocess.TimeoutExpired(argv, timeout)
    (result,) = outcome
    if isinstance(result, BaseException):
        raise result
    return subprocess.CompletedProcess(
        argv, result, captured["stdout"].getvalue(), captured["stderr"].getvalue()
    )


def _exit_code(code: object, stderr: io.StringIO) -> int:
    """The status `sys.exit(code)` gives a process: a text is printed and means 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)
    return 1


@contextmanager
def _streams_routed() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Routed("stdout", out), _Routed("stderr", err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


@contextmanager
def _logging_restored() -> Iterator[None]:
    """Put the logging configuration back as it was after `configure()` changed it."""
    root = logging.getLogger()
    handlers, root_level = root.handlers[:], root.level
    # Detached while the command runs, so `basicConfig(force=True)` does not close them.
    root.handlers = []
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = handlers
        root.setLevel(root_level)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))
