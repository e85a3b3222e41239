"""Records of the simulated Telegram world: users, chats, messages, calls."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
# A chat event: (type, message id or 0, extra fields or None); its seq is its index + 1.
Event = tuple[str, int, JSON | None]


@dataclass(slots=True)
class Persona:
    """A user the web chat offers to play (citizen or officer)."""

    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str = "vi"
    role: str = "citizen"
    phone: str | None = None
    channel: str = "telegram"  # or "zalo_bot": a Zalo user of the sandbox's Zalo bot


@dataclass(slots=True)
class UserRec:
    """A Telegram user; their private chat has the same id."""

    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    language_code: str | None = "vi"
    phone: str | None = None
    role: str = "citizen"
    blocked: bool = False
    started: bool = True
    channel: str = "telegram"  # "zalo_bot": writes to the Zalo bot (sandbox/zalo.py)

    def to_json(self) -> JSON:
        """The User object as it appears in updates."""
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class MessageRec:
    """One message in a chat; `data` is its current Telegram JSON (replaced on edit)."""

    chat_id: int
    message_id: int
    from_bot: bool
    data: JSON
    kind: str
    parse_mode: str | None = None
    keyboard: JSON | None = None
    edit_count: int = 0
    deleted: bool = False


@dataclass(slots=True)
class ChatRec:
    """A private chat or a group, with its messages and its event stream."""

    id: int
    type: str
    title: str | None = None
    user: UserRec | None = None
    username: str | None = None
    messages: dict[int, MessageRec] = field(default_factory=dict)
    bot_message_ids: list[int] = field(default_factory=list)
    next_message_id: int = 1
    events: list[Event] = field(default_factory=list)
    waiters: list[asyncio.Future[None]] = field(default_factory=list)
    reply_keyboard: JSON | None = None
    keyboard_hidden: bool = False
    force_reply: JSON | None = None
    delivered: int = 0
    texts: list[str] = field(default_factory=list)
    menu_button: JSON | None = None
    admins: frozenset[int] = frozenset()
    json_cache: JSON | None = None

    def to_json(self) -> JSON:
        """The Chat object as embedded in messages (shared; treat as read-only)."""
        if self.json_cache is not None:
            return self.json_cache
        if self.user is not None:
            data = self.user.to_json()
            data.pop("is_bot", None)
            data.pop("language_code", None)
            data["type"] = "private"
        else:
            data = {"id": self.id, "title": self.title or "", "type": self.type}
            if self.username:
                data["username"] = self.username
        self.json_cache = data
        return data

    def notify(self) -> None:
        """Wake everyone waiting for a change in this chat."""
        waiters, self.waiters = self.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def changed(self) -> asyncio.Future[None]:
        """A future resolved at the next change in this chat."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        return waiter


@dataclass(slots=True)
class FileRec:
    """A stored file: uploaded bytes, or a URL the sandbox does not fetch."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    url: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(slots=True)
class CallRecord:
    """One Bot API call as the sandbox answered it."""

    method: str
    params: JSON
    chat_id: int | str | None
    time: float
    status: int
    description: str | None = None


@dataclass(slots=True)
class CallbackQueryRec:
    """A callback query sent to the bot, and its answer once given."""

    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str | None
    answered: bool = False
    answer: JSON | None = None


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    """What answerCallbackQuery told the user."""

    text: str | None
    show_alert: bool
    url: str | None = None
    cache_time: int = 0
