"""The in-memory Telegram world: users, chats, messages, files, updates, call log."""

from __future__ import annotations

import itertools
import secrets
import time
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sandbox.commands import CommandStore
from sandbox.errors import bad_request, forbidden
from sandbox.files import FileStore
from sandbox.limits import Fault, Faults, Limits
from sandbox.models import (
    JSON,
    CallbackQueryRec,
    CallRecord,
    ChatRec,
    Event,
    MessageRec,
    Persona,
    UserRec,
)
from sandbox.updates import UpdateQueue
from sandbox.zalobot import DEFAULT_ZALO_TOKEN, ZaloBot

if TYPE_CHECKING:
    from sandbox.history import ChatHistory

BOT_FIRST_NAME = "Dân vận (sandbox)"
BOT_USERNAME = "danvan_sandbox_bot"


def bot_id_from_token(token: str) -> int:
    """The bot's user id: the number before ':' in the token."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 7000000001


class SandboxState:
    """Everything the sandbox knows; dicts keyed by id so each request costs O(1)."""

    def __init__(
        self, token: str, log_limit: int = 200_000, zalo_token: str = DEFAULT_ZALO_TOKEN
    ) -> None:
        self.token = token
        self.zalo = ZaloBot(zalo_token)  # the Zalo Bot API's side (sandbox/zalo.py)
        self.bot_id = bot_id_from_token(token)
        self.bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }
        self.users: dict[int, UserRec] = {}
        self.chats: dict[int, ChatRec] = {}
        self.personas: dict[int, Persona] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.commands = CommandStore()
        self.limits = Limits()
        self.faults = Faults()
        self.calls: deque[CallRecord] = deque(maxlen=log_limit)
        self.callback_queries: dict[str, CallbackQueryRec] = {}
        self.webhook: JSON = {"url": "", "has_custom_certificate": False}
        self.webhook_secret: str | None = None  # kept apart: getWebhookInfo never shows it
        self.menu_button: JSON = {"type": "commands"}
        self.profile: dict[tuple[str, str], str] = {}  # (name|description|short_description, lang)
        self.privacy_mode = True
        self.strict_html = True
        # Where chats are kept across restarts (None: in memory only, as tests want).
        self.history: ChatHistory | None = None
        self.instance = secrets.token_hex(8)  # replaced by the history's own name
        self._query_ids = itertools.count(4_200_000_000_000_000_001)
        self._media_groups = itertools.count(13_000_000_000_000_001)

    # --- users and chats -------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone: str | None = None,
        role: str | None = None,
        channel: str | None = None,
    ) -> UserRec:
        """Get or create a user (and their private chat); given fields are updated."""
        rec = self.users.get(user_id)
        changed = rec is None
        if rec is None:
            rec = UserRec(id=user_id, first_name=first_name or f"User{user_id}")
            self.users[user_id] = rec
            self.chats[user_id] = ChatRec(id=user_id, type="private", user=rec)
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
            ("phone", phone),
            ("role", role),
            ("channel", channel),
        ):
            if value is not None and getattr(rec, name) != value:
                setattr(rec, name, value)
                self.chats[user_id].json_cache = None
                changed = True
        if changed and self.history is not None:
            self.history.save_user(rec)
        return rec

    def add_persona(self, persona: Persona) -> UserRec:
        """Register a persona for the web chat and create its user."""
        self.personas[persona.id] = persona
        if self.history is not None:
            self.history.save_persona(persona)
        return self.user(
            persona.id,
            persona.first_name,
            persona.last_name,
            persona.username,
            persona.language_code,
            persona.phone,
            persona.role,
            persona.channel,
        )

    def group(self, chat_id: int, title: str | None = None, username: str | None = None) -> ChatRec:
        """Get or create a group (ids <= -10**12 are supergroups) the bot is a member of."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        chat = self.chats.get(chat_id)
        if chat is None:
            kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
            chat = ChatRec(id=chat_id, type=kind, title=title or f"Group {-chat_id}")
            self.chats[chat_id] = chat
        if title is not None or username is not None:
            chat.title = title if title is not None else chat.title
            chat.username = username if username is not None else chat.username
            chat.json_cache = None
        return chat

    def find_chat(self, ref: int | str) -> ChatRec:
        """A chat by id or @username, else 400 "chat not found"."""
        if isinstance(ref, int):
            chat = self.chats.get(ref)
            if chat is not None:
                return chat
        else:
            name = ref.lstrip("@").lower()
            for chat in self.chats.values():
                handle = chat.user.username if chat.user else chat.username
                if handle and handle.lower() == name and chat.type != "private":
                    return chat
        raise bad_request("chat not found")

    def target_chat(self, ref: int | str) -> ChatRec:
        """A chat the bot may send to: blocked users answer 403."""
        chat = self.find_chat(ref)
        if chat.user is not None:
            if chat.user.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.user.started:
                raise forbidden("bot can't initiate conversation with a user")
        return chat

    # --- messages and events ---------------------------------------------------------------
    def new_message(
        self,
        chat: ChatRec,
        content: JSON,
        kind: str,
        sender: UserRec | None = None,
        parse_mode: str | None = None,
        keyboard: JSON | None = None,
    ) -> MessageRec:
        """Store a message (from the bot unless `sender` is given) and emit its event."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: JSON = {
            "message_id": message_id,
            "from": self.bot_user if sender is None else sender.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
        }
        data.update(content)
        rec = MessageRec(chat.id, message_id, sender is None, data, kind, parse_mode, keyboard)
        chat.messages[message_id] = rec
        if sender is None:
            chat.bot_message_ids.append(message_id)
            chat.delivered += 1
            self._remember_text(chat, data)
            if keyboard is not None:
                self._apply_keyboard(chat, keyboard)
        self.emit(chat, "message", message_id)
        return rec

    def _remember_text(self, chat: ChatRec, data: JSON) -> None:
        text = data.get("text") or data.get("caption")
        if text:
            chat.texts.append(text)

    @staticmethod
    def _apply_keyboard(chat: ChatRec, keyboard: JSON) -> None:
        if "keyboard" in keyboard:
            chat.reply_keyboard, chat.keyboard_hidden, chat.force_reply = keyboard, False, None
        elif keyboard.get("remove_keyboard"):
            chat.reply_keyboard, chat.keyboard_hidden = None, False
        elif keyboard.get("force_reply"):
            chat.force_reply = keyboard

    def edit_message(self, rec: MessageRec, changes: JSON, drop: Iterable[str] = ()) -> JSON:
        """Replace a message's content (a new dict; old snapshots stay intact)."""
        data = {k: v for k, v in rec.data.items() if k not in drop}
        data.update(changes)
        data["edit_date"] = max(int(time.time()), rec.data["date"])
        rec.data = data
        rec.edit_count += 1
        chat = self.chats[rec.chat_id]
        if rec.from_bot:
            self._remember_text(chat, changes)
        self.emit(chat, "edited", rec.message_id)
        return data

    def delete_message(self, rec: MessageRec) -> None:
        """Mark a message deleted."""
        rec.deleted = True
        self.emit(self.chats[rec.chat_id], "deleted", rec.message_id)

    def emit(self, chat: ChatRec, kind: str, message_id: int = 0, **extra: Any) -> None:
        """Append an event to the chat's stream and wake its waiters."""
        event: Event = (kind, message_id, extra or None)
        chat.events.append(event)
        if self.history is not None:
            self.history.record(self, chat, event)
        if chat.waiters:
            chat.notify()

    def keyboard_changed(self, chat: ChatRec) -> None:
        """Keep a keyboard state change that no event carries (a one-time keyboard hid)."""
        if self.history is not None:
            self.history.record(self, chat, None)

    def next_query_id(self) -> str:
        """A fresh callback query id (Telegram uses long decimal strings)."""
        return str(next(self._query_ids))

    def next_media_group_id(self) -> str:
        """A fresh media_group_id."""
        return str(next(self._media_groups))

    # --- assertions helpers ----------------------------------------------------------------
    def commands_for(
        self, chat_id: int, language_code: str | None = None, user_id: int | None = None
    ) -> list[JSON]:
        """The command menu a user sees in a chat (scope and language precedence)."""
        chat = self.chats.get(chat_id)
        private = chat is None or chat.type == "private"
        if language_code is None and private and chat is not None and chat.user is not None:
            language_code = chat.user.language_code
        is_admin = chat is not None and user_id is not None and user_id in chat.admins
        found = self.commands.resolve(chat_id, language_code, private, user_id, is_admin)
        return [dict(c) for c in found]

    def texts_sent_to(self, chat_id: int) -> list[str]:
        """Every text and caption the bot ever put in a chat, edits included."""
        chat = self.chats.get(chat_id)
        return list(chat.texts) if chat else []

    def delivered(self, chat_id: int) -> int:
        """How many messages the bot successfully sent to a chat."""
        chat = self.chats.get(chat_id)
        return chat.delivered if chat else 0

    def calls_for(self, method: str | None = None, chat_id: int | None = None) -> list[CallRecord]:
        """Logged calls, optionally filtered by method and chat."""
        wanted = method.lower() if method else None
        return [
            c
            for c in self.calls
            if (wanted is None or c.method.lower() == wanted)
            and (chat_id is None or str(c.chat_id) == str(chat_id))
        ]

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
        """The next `count` matching calls fail with `status` (method=None: any method)."""
        return self.faults.inject(method, status, count, chat_id, retry_after, description, delay)

    def shutdown(self) -> None:
        """Release every waiter (server stopping)."""
        self.updates.release()
        self.zalo.release()
        for chat in self.chats.values():
            if chat.waiters:
                chat.notify()
