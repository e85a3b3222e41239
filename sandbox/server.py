"""SandboxServer: the Bot API sandbox and web chat on one tornado server."""

from __future__ import annotations

import socket
from pathlib import Path
from types import TracebackType
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

from sandbox import botapi, webchat, zalo
from sandbox.harness import SimGroup, SimUser, SimZaloUser
from sandbox.history import ChatHistory
from sandbox.limits import Fault, Limits
from sandbox.models import Persona
from sandbox.state import SandboxState
from sandbox.webhook import WebhookDelivery
from sandbox.zalobot import DEFAULT_ZALO_TOKEN, zalo_id_of

DEFAULT_TOKEN = "7000000001:SANDBOX_local_token_for_dan_van_dev"
DEFAULT_PERSONAS: tuple[Persona, ...] = (
    Persona(1001, "Lan", "Nguyễn Thị", "lan_nguyen", "vi", "citizen", "+84901000001"),
    Persona(1002, "Minh", "Trần Văn", "minh_tran", "vi", "citizen", "+84901000002"),
    Persona(1003, "Anna", "Schmidt", None, "en", "citizen", None),
    Persona(9001, "Hùng", "Lê Văn", "canbo_hung", "vi", "officer", "+84901000900"),
)


def _quiet(handler: tornado.web.RequestHandler) -> None:
    """No access log: it would cost more than the requests themselves."""


class SandboxServer:
    """A local Telegram Bot API + web chat; point PTB's base_url at `root_url + "/bot"`."""

    def __init__(
        self,
        token: str | None = None,
        personas: list[Persona] | None = None,
        log_limit: int = 200_000,
        history: str | Path | None = None,
        zalo_token: str | None = None,
    ) -> None:
        """`history`: a SQLite file that keeps the chats across restarts (None: memory only).

        The same server speaks the Zalo Bot API for `zalo_token`'s bot under
        `zalo_root_url` (sandbox/zalo.py); Zalo users share the chat store.
        """
        self.token = token or DEFAULT_TOKEN
        self.zalo_token = zalo_token or DEFAULT_ZALO_TOKEN
        self.state = SandboxState(self.token, log_limit=log_limit, zalo_token=self.zalo_token)
        self.history = ChatHistory(history) if history is not None else None
        if self.history is not None:
            self.history.load(self.state)
            self.state.history, self.state.instance = self.history, self.history.instance
        self.personas = list(DEFAULT_PERSONAS if personas is None else personas)
        for persona in self.personas:
            self.state.add_persona(persona)
        self.host = "127.0.0.1"
        self.port = 0
        self._http: tornado.httpserver.HTTPServer | None = None
        self._sockets: list[socket.socket] = []
        self._users: dict[int, SimUser] = {}
        self._zalo_users: dict[int, SimZaloUser] = {}
        self._zalo_webhooks: list[zalo.ZaloWebhookDelivery] = []
        self._groups: dict[int, SimGroup] = {}
        self._webhooks: list[WebhookDelivery] = []

    def make_app(self) -> tornado.web.Application:
        """The tornado application with every route."""
        args: dict[str, Any] = {"state": self.state}
        routes: list[Any] = [
            (r"/bot([^/]+)/([A-Za-z]+)/?", botapi.BotApiHandler, args),
            (r"/file/bot([^/]+)/(.+)", botapi.FileHandler, args),
            (r"/", webchat.PageHandler, args),
            (r"/api/personas", webchat.PersonasHandler, args),
            (r"/api/chats/(-?\d+)/events", webchat.EventsHandler, args),
            (r"/api/chats/(-?\d+)/([a-z_]+)", webchat.ActionHandler, args),
            (r"/api/files/([^/]+)", webchat.FileByIdHandler, args),
            (r"/zalo/bot([^/]+)/([A-Za-z]+)/?", zalo.ZaloApiHandler, args),
            (r"/zalo/photos/([^/]+)", zalo.ZaloPhotoHandler, args),
        ]
        return tornado.web.Application(routes, log_function=_quiet, compress_response=False)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen (port 0: an ephemeral port) in the running event loop; returns the port."""
        if self._http is not None:
            raise RuntimeError("sandbox server already started")
        self._sockets = tornado.netutil.bind_sockets(port, address=host)
        self._http = tornado.httpserver.HTTPServer(self.make_app(), max_body_size=60 * 2**20)
        self._http.add_sockets(self._sockets)
        self.host = host
        self.port = int(self._sockets[0].getsockname()[1])
        self.state.zalo.root = self.zalo_root_url
        return self.port

    async def stop(self) -> None:
        """Stop listening, release long polls and close every connection."""
        if self._http is None:
            return
        http, self._http = self._http, None
        http.stop()
        for delivery in self._webhooks:
            await delivery.stop()
        for zalo_delivery in self._zalo_webhooks:
            await zalo_delivery.stop()
        self.state.shutdown()
        await http.close_all_connections()
        if self.history is not None:
            self.history.close()

    async def __aenter__(self) -> SandboxServer:
        if self._http is None:
            await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """http://host:port (the bot uses root_url + "/bot" and root_url + "/file/bot")."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def zalo_root_url(self) -> str:
        """The Zalo Bot API's root (ZALO_BOT_API_URL): the bot appends /bot<token>/<method>."""
        return f"{self.root_url}/zalo"

    @property
    def base_url(self) -> str:
        """PTB's base_url."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's base_file_url."""
        return f"{self.root_url}/file/bot"

    @property
    def limits(self) -> Limits:
        """Flood-limit settings and counters (state.limits)."""
        return self.state.limits

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone: str | None = None,
        started: bool | None = None,
    ) -> SimUser:
        """Get or create a simulated user (the same SimUser object, and cursor, each time)."""
        rec = self.state.user(user_id, first_name, last_name, username, language_code, phone)
        if started is not None:
            rec.started = started
        sim = self._users.get(user_id)
        if sim is None:
            sim = self._users[user_id] = SimUser(self.state, self.state.chats[user_id])
        return sim

    def zalo_user(
        self, user_id: int, first_name: str | None = None, last_name: str | None = None
    ) -> SimZaloUser:
        """Get or create a simulated Zalo user of the Zalo bot (the same object each time)."""
        rec = self.state.user(user_id, first_name, last_name, channel=zalo.ZALO)
        self.state.zalo.by_zalo[zalo_id_of(user_id)] = user_id
        sim = self._zalo_users.get(user_id)
        if sim is None:
            sim = self._zalo_users[user_id] = SimZaloUser(self.state, self.state.chats[rec.id])
        return sim

    def deliver_zalo_webhook_to(self, target: str, flat: bool = False) -> zalo.ZaloWebhookDelivery:
        """Post the Zalo bot's updates to its webhook while one is set, as Zalo does.

        `target` is where a reverse proxy would forward the public URL; the
        registered URL's path is appended. `flat`: bodies without the
        `{"ok": true, "result": …}` wrapping.
        """
        if not self.state.zalo.webhook.get("url"):
            raise RuntimeError("no Zalo webhook is set: the bot calls setWebhook first")
        delivery = zalo.ZaloWebhookDelivery(self.state, target, flat)
        delivery.start()
        self._zalo_webhooks.append(delivery)
        return delivery

    def group(
        self, chat_id: int, title: str | None = None, username: str | None = None
    ) -> SimGroup:
        """Get or create a group chat (negative id) the bot is in."""
        chat = self.state.group(chat_id, title, username)
        sim = self._groups.get(chat_id)
        if sim is None:
            sim = self._groups[chat_id] = SimGroup(self.state, chat)
        return sim

    def deliver_webhook_to(self, target: str) -> WebhookDelivery:
        """Post updates to the bot's webhook while one is set, as Telegram does.

        `target` is where a reverse proxy would forward the public URL, e.g.
        "http://127.0.0.1:8443"; the registered URL's path is appended.
        """
        if not self.state.webhook.get("url"):
            raise RuntimeError("no webhook is set: the bot calls setWebhook first")
        delivery = WebhookDelivery(self.state, target)
        delivery.start()
        self._webhooks.append(delivery)
        return delivery

    def inject(
        self,
        method: str | None = "sendMessage",
        status: int = 500,
        count: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
        description: str | None = None,
        delay: float = 0.0,
    ) -> Fault:
        """Make the next `count` matching calls fail (see SandboxState.inject)."""
        return self.state.inject(method, status, count, chat_id, retry_after, description, delay)
