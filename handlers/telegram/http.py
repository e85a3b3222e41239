"""The application's HTTP transport to the Bot API: PTB's request interface over aiohttp.

Every update costs at least one Bot API call (a press is answered, a message
replied to). With PTB's own HTTPXRequest that call was most of the bot's CPU:
httpx/httpcore spent 2.6-5 ms of CPU a request on a busy 2-core machine
(httpcore scans its whole pool, quadratically, on every request; anyio asks
the socket its peer name on each), aiohttp 0.6-0.8 ms, measured against the
sandbox (README, the consultations' benchmark). Same contract as
HTTPXRequest: the Bot API's status and body come back as they are, a timeout
is `TimedOut`, any other failure to get an answer is `NetworkError`; proxies
from the environment are used, as httpx does. Used by the application's bot
and the outbox sender's bots alike: one transport for the Bot API.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue  # private, as in PTB's HTTPXRequest
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """A pool of `connections` keep-alive connections; timeouts as HTTPXRequest's defaults.

    aiohttp has no write timeout: a request whose upload stalls ends at its
    read timeout instead (the read clock starts once the request is sent).
    """

    __slots__ = ("_connections", "_media_write", "_proxies", "_session", "_timeouts")

    def __init__(
        self,
        connections: int = 256,
        *,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._connections = connections
        self._timeouts = (read_timeout, connect_timeout, pool_timeout)
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        """Open the session (inside the running loop, as aiohttp wants)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
                # The Bot API sets no cookies; the jar would be consulted on every call.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; the status and the body, whatever the status."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read, connect, pool = (
            default if isinstance(given, DefaultValue) else given
            for given, default in zip(
                (read_timeout, connect_timeout, pool_timeout), self._timeouts, strict=True
            )
        )
        if files and isinstance(write_timeout, DefaultValue) and read is not None:
            # An upload takes as long as it takes to send: give it the media write time too.
            read += self._media_write or 0.0
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` covers the wait for a free connection and the connecting.
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, proxy=self._proxy(url), timeout=timeout, **_body(request_data)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for `url` (HTTPS_PROXY, NO_PROXY...), as httpx reads them.

        Looked up once per server: aiohttp's own `trust_env` looks it up on
        every request, in a thread.
        """
        parts = urllib.parse.urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            bypass = urllib.request.proxy_bypass(key[1]) if key[1] else True
            self._proxies[key] = None if bypass else proxies.get(key[0], proxies.get("all"))
        return self._proxies[key]


_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _body(request_data: RequestData | None) -> dict[str, Any]:
    """The parameters as a form, multipart when there are files, as HTTPXRequest sends them.

    A plain form is encoded here: aiohttp's FormData costs several times more.
    """
    if request_data is None:
        return {}
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return {"data": urllib.parse.urlencode(fields).encode(), "headers": _FORM}
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return {"data": form}
