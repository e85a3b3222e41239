"""Webhook delivery as Telegram does it: one update per POST, the secret in a header.

Telegram posts to the public HTTPS URL given to setWebhook; in front of the
bot a reverse proxy forwards that to a local port. The sandbox cannot reach
a public URL, so it is told where the proxy would forward to (`target`) and
posts to that address with the registered URL's path.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import urlparse

from tornado.httpclient import AsyncHTTPClient, HTTPResponse

from sandbox.state import SandboxState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_SECONDS = 0.2  # Telegram waits longer; tests want the retry soon


class WebhookDelivery:
    """Posts pending updates to the bot while a webhook is set; failures are retried."""

    def __init__(self, state: SandboxState, target: str) -> None:
        self.state = state
        self.target = target.rstrip("/")
        self.delivered = 0
        self._client = AsyncHTTPClient(force_instance=True)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin delivering in the running event loop."""
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        """Stop delivering; an update being posted stays pending."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._client.close()

    async def _run(self) -> None:
        queue = self.state.updates
        while self.state.webhook.get("url"):
            batch = await queue.get(None, 1, 30.0)
            if not batch or not self.state.webhook.get("url"):
                continue
            update = batch[0]
            if await self._post(update):
                queue.confirm(int(update["update_id"]) + 1)
                self.delivered += 1
            else:
                await asyncio.sleep(RETRY_SECONDS)

    async def _post(self, update: dict[str, Any]) -> bool:
        path = urlparse(str(self.state.webhook["url"])).path or "/"
        headers = {"Content-Type": "application/json"}
        if self.state.webhook_secret:
            headers[SECRET_HEADER] = self.state.webhook_secret
        response: HTTPResponse = await self._client.fetch(
            self.target + path,
            method="POST",
            body=json.dumps(update, ensure_ascii=False),
            headers=headers,
            raise_error=False,
            request_timeout=10,
        )
        if response.code == 200:
            return True
        # getWebhookInfo reports the latest failure the way Telegram words it.
        if response.code == 599:
            message = str(response.error) if response.error else "Connection failed"
        else:
            message = f"Wrong response from the webhook: {response.code} {response.reason}"
        self.state.webhook["last_error_date"] = int(time.time())
        self.state.webhook["last_error_message"] = message
        return False
