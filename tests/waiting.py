"""Waiting for a definite event in tests: a condition that becomes true, with a deadline."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable


async def until(
    check: Callable[[], object | Awaitable[object]],
    what: str,
    timeout: float = 20.0,  # noqa: ASYNC109
) -> None:
    """Return as soon as `check()` (plain or awaitable) is true; fail after `timeout`.

    For state the bot changes without sending anything the test could wait
    for (a flag in the database, a call the sandbox recorded). Never a pause
    followed by an assertion: the test goes on the moment the event happened.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = check()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.01)
