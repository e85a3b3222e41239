"""Zalo's webhook calls: checked by their secret, answered at once, handed to the application."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlparse

import tornado.httpserver
import tornado.netutil
import tornado.web
from telegram import Update

from handlers.telegram.common import TelegramApp
from handlers.zalo_bot.gateway import ZaloBotGateway

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class _Handler(tornado.web.RequestHandler):
    """POST <path>: 403 without the secret (nothing changes), else 200 at once."""

    def initialize(self, receiver: ZaloWebhook) -> None:
        self.receiver = receiver

    def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.receiver.secret.encode()):
            self.set_status(403)
            self.finish()
            return
        try:
            body: Any = json.loads(self.request.body)
        except ValueError:
            self.set_status(400)
            self.finish()
            return
        self.finish({"ok": True})
        self.receiver.accept(body)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """No access log: the bodies are people's messages."""


class ZaloWebhook:
    """Registers the webhook with Zalo and serves it; updates go to the application's queue.

    The body is taken wrapped in `{"ok": true, "result": …}` or flat (both
    are seen); a message delivered twice is handed on once (the gateway
    records every message id it takes in).
    """

    def __init__(
        self,
        application: TelegramApp,
        gateway: ZaloBotGateway,
        url: str,
        secret: str | None,
        listen: str,
        port: int,
    ) -> None:
        self.application = application
        self.gateway = gateway
        self.url = url
        # Without a secret anyone who finds the URL could post forged messages.
        self.secret = secret or secrets.token_urlsafe(32)
        self.listen, self.port = listen, port
        self._http: tornado.httpserver.HTTPServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen first, then tell Zalo where to post (and with which secret)."""
        path = urlparse(self.url).path or "/"
        app = tornado.web.Application([(path, _Handler, {"receiver": self})], log_function=_quiet)
        sockets = tornado.netutil.bind_sockets(self.port, address=self.listen)
        self.port = int(sockets[0].getsockname()[1])
        self._http = tornado.httpserver.HTTPServer(app)
        self._http.add_sockets(sockets)
        await self.gateway.api.call("setWebhook", {"url": self.url, "secret_token": self.secret})
        log.info("receiving Zalo Bot updates by webhook on port %d", self.port)

    def accept(self, body: Any) -> None:
        """Translate in the background: Zalo has its answer already."""
        task = asyncio.create_task(self._take(body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _take(self, body: Any) -> None:
        try:
            update = await self.gateway.to_update(body)
        except Exception:  # a bad update must not stop the next ones
            log.exception("a Zalo webhook call could not be translated")
            return
        if update is not None:
            await self.application.update_queue.put(Update.de_json(update, self.application.bot))

    async def stop(self) -> None:
        if self._http is not None:
            http, self._http = self._http, None
            http.stop()
            await http.close_all_connections()
        if self._tasks:
            await asyncio.wait(set(self._tasks))
