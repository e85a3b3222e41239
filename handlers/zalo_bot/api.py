"""A thin client of the Zalo Bot API: `{root}/bot<TOKEN>/<method>`, JSON in, `{ok, result}` out."""

from __future__ import annotations

import json
from typing import Any

import httpx

from handlers.zalo_bot.errors import ZaloApiError

# An empty long poll is an error on Zalo: {"ok": false, "error_code": 408}.
NO_UPDATE = 408
# Photos people send are fetched from Zalo's CDN at once; nothing larger is taken.
MAX_DOWNLOAD = 20 * 1024 * 1024


class ZaloBotApi:
    """Calls one bot's methods; every refusal or failure raises ZaloApiError."""

    def __init__(self, token: str, api_url: str, *, connections: int = 4) -> None:
        self._url = f"{api_url.rstrip('/')}/bot{token}"
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(20.0, connect=10.0),
            limits=httpx.Limits(max_connections=connections + 1),  # one more for the long poll
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, wait: float = 0
    ) -> Any:
        """The method's `result`; `wait`: seconds the server may hold the call (a long poll)."""
        timeout = httpx.Timeout(20.0 + wait, connect=10.0)
        try:
            response = await self._http.post(
                f"{self._url}/{method}", json=params or {}, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise ZaloApiError(0, f"Zalo Bot API unreachable: {exc!r}") from exc
        try:
            body = json.loads(response.content)
        except ValueError:
            raise ZaloApiError(response.status_code or 502, "Zalo answered no JSON") from None
        if not isinstance(body, dict):
            raise ZaloApiError(502, "Zalo answered no JSON object")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code") or response.status_code
        description = str(body.get("description") or body.get("message") or "")
        retry = (body.get("parameters") or {}).get("retry_after")
        raise ZaloApiError(int(code), description, float(retry) if retry else None)

    async def download(self, url: str) -> tuple[bytes, str | None]:
        """The bytes behind a photo URL Zalo gave (it expires soon) and their type."""
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise ZaloApiError(response.status_code, f"cannot fetch {url}")
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data.extend(chunk)
                    if len(data) > MAX_DOWNLOAD:
                        raise ZaloApiError(413, f"{url} is larger than {MAX_DOWNLOAD} bytes")
                return bytes(data), response.headers.get("Content-Type")
        except httpx.HTTPError as exc:
            raise ZaloApiError(0, f"cannot fetch {url}: {exc!r}") from exc
