"""Headless Chromium for the web chat's tests, driven over the DevTools protocol.

No browser-automation package: Chromium speaks the DevTools protocol over a
websocket, and tornado (already here for the sandbox) has a websocket client.
Debian's `chromium` package is the browser (`apt-get install chromium`; CI's
`.ci/run` installs it). Without it the tests that need it are skipped with
that instruction, except under CI, where they fail: a page check never passes
unseen.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from tornado.httpclient import AsyncHTTPClient
from tornado.websocket import WebSocketClientConnection, websocket_connect

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# As root, on a machine without a display or outside network: no sandbox, no GPU,
# none of the background connections that would only be refused.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
)
SHOTS_ENV = "SCREENSHOT_DIR"  # where to copy screenshots for people to look at


def chromium_path() -> str:
    """The browser to run, or skip (fail under CI) when there is none."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    message = "Chromium is not installed (apt-get install chromium): the web page was not checked"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class Page:
    """One browser tab: navigate, evaluate, wait for a state, screenshot."""

    def __init__(self, socket: WebSocketClientConnection) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command; the events Chromium sends meanwhile are ignored."""
        number = next(self._ids)
        await self._socket.write_message(
            json.dumps({"id": number, "method": method, "params": params})
        )
        while True:
            raw = await self._socket.read_message()
            if raw is None:
                raise AssertionError(f"Chromium closed the connection during {method}")
            message = json.loads(raw)
            if message.get("id") == number:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def open(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (a promise is awaited)."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise AssertionError(f"{expression[:80]!r} failed: {text}")
        return result["result"].get("value")

    async def wait_for(self, predicate: str, what: str, timeout: float = 15) -> Any:  # noqa: ASYNC109
        """Wait until the JavaScript expression `predicate` is truthy in the page; its value.

        The page is checked again every 25 ms until the deadline, so the wait
        ends at the state it names, not after a guessed delay.
        """
        script = (
            "new Promise((resolve) => { const end = Date.now() + TIMEOUT;"
            " (function check() { let v = null; try { v = (PREDICATE); } catch (e) { v = null; }"
            " if (v) resolve({ shown: true, value: v }); else if (Date.now() > end) resolve({});"
            " else setTimeout(check, 25); })(); })"
        )
        script = script.replace("TIMEOUT", str(int(timeout * 1000)))
        script = script.replace("PREDICATE", predicate)
        found = await self.evaluate(script)
        if not found.get("shown"):
            raise AssertionError(f"the page never showed {what} ({predicate})")
        return found.get("value")

    async def screenshot(self, path: Path) -> Path:
        """A PNG of the tab; copied to $SCREENSHOT_DIR too when that is set."""
        shot = await self.call("Page.captureScreenshot", format="png")
        _save(path, base64.b64decode(shot["data"]))
        return path


def _save(path: Path, png: bytes) -> None:
    path.write_bytes(png)
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


@asynccontextmanager
async def chromium(profile: Path, width: int = 1100, height: int = 760) -> AsyncIterator[Page]:
    """A headless Chromium with a new profile in `profile`, and its first tab."""
    binary = chromium_path()
    log = _log_file(profile)
    process = await asyncio.create_subprocess_exec(
        binary,
        *FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log,
    )
    socket: WebSocketClientConnection | None = None
    try:
        port = await _devtools_port(profile, process)
        client = AsyncHTTPClient()
        listing = await client.fetch(f"http://127.0.0.1:{port}/json/list")
        tab = next(t for t in json.loads(listing.body) if t["type"] == "page")
        socket = await websocket_connect(tab["webSocketDebuggerUrl"], max_message_size=2**28)
        page = Page(socket)
        await page.call("Page.enable")
        yield page
    finally:
        if socket is not None:
            socket.close()
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()


def _log_file(profile: Path) -> BinaryIO:
    profile.mkdir(parents=True, exist_ok=True)
    return (profile / "chromium.log").open("wb")


async def _devtools_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    """The port Chromium chose, from the DevToolsActivePort file it writes once listening."""
    marker = profile / "DevToolsActivePort"
    for _ in range(1200):  # up to 60 s: a loaded 2-core machine starts Chromium slowly
        if process.returncode is not None:
            log = (profile / "chromium.log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"Chromium exited ({process.returncode}): {log}")
        with suppress(FileNotFoundError, ValueError, IndexError):
            return int(marker.read_text().splitlines()[0])
        await asyncio.sleep(0.05)
    raise AssertionError("Chromium did not open its DevTools port within 60 s")
