"""Test-facing views of chats: simulated users and groups that talk to the bot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sandbox import actions, zalo
from sandbox.files import SAMPLE_OGG, SAMPLE_PNG
from sandbox.models import JSON, CallbackAnswer, CallbackQueryRec, ChatRec
from sandbox.state import SandboxState
from sandbox.views import ChatMessage
from sandbox.zalobot import zalo_id_of

T = TypeVar("T")
Predicate = Callable[["ChatMessage"], bool]
# Seconds a wait gives the bot by default: generous, since a wait ends as soon
# as what it waits for is there, and a busy machine can take seconds to answer.
WAIT = 60.0  # a deadline for a failure, not a pace: a loaded machine is slow


class ChatView:
    """Waiting and cursor logic shared by private chats and groups."""

    def __init__(self, state: SandboxState, chat: ChatRec) -> None:
        self.state = state
        self.chat = chat
        self._cursor = 0

    @property
    def chat_id(self) -> int:
        """The chat id."""
        return self.chat.id

    @property
    def messages(self) -> list[ChatMessage]:
        """The bot's messages in this chat, oldest first (deleted ones flagged)."""
        chat = self.chat
        return [ChatMessage(chat.messages[i]) for i in chat.bot_message_ids]

    @property
    def texts(self) -> list[str]:
        """Every text/caption the bot ever put here, edits included."""
        return self.state.texts_sent_to(self.chat.id)

    def skip_pending(self) -> None:
        """Move the next_message cursor past everything received so far."""
        self._cursor = len(self.chat.bot_message_ids)

    async def next_message(
        self,
        predicate: Predicate | None = None,
        *,
        contains: str | None = None,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> ChatMessage:
        """The next bot message created past the cursor (no edits); with a filter, the next matching.

        A filter (`contains`, `predicate`, as in `wait_for`) passes over the messages
        before the match, so a late one from an earlier step (a broadcast's report,
        a notice from the outbox) is never taken for the reply awaited. The cursor
        moves past the message returned.
        """

        def matches(message: ChatMessage) -> bool:
            if contains is not None and contains not in message.content:
                return False
            return predicate is None or predicate(message)

        def check() -> ChatMessage | None:
            ids = self.chat.bot_message_ids
            for index in range(self._cursor, len(ids)):
                message = ChatMessage(self.chat.messages[ids[index]])
                if matches(message):
                    self._cursor = index + 1
                    return message
            return None

        if contains is None and predicate is None:
            what = "no new bot message"
        else:
            what = f"no new bot message matching {_wanted(contains)}"
        return await self._wait(check, timeout, what)

    async def wait_for(
        self,
        predicate: Predicate | None = None,
        *,
        contains: str | None = None,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> ChatMessage:
        """Oldest live bot message (past or future, edits re-checked) matching; see README."""

        def matches(message: ChatMessage) -> bool:
            if message.deleted or (contains is not None and contains not in message.content):
                return False
            return predicate is None or predicate(message)

        def check() -> ChatMessage | None:
            return next((m for m in self.messages if matches(m)), None)

        return await self._wait(check, timeout, f"no bot message matching {_wanted(contains)}")

    async def _wait(self, check: Callable[[], T | None], seconds: float, what: str) -> T:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            found = check()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{what} within {seconds}s in chat {self.chat.id}; {self.describe()}"
                )
            waiter = self.chat.changed()
            await asyncio.wait({waiter}, timeout=remaining)
            if not waiter.done():
                waiter.cancel()

    def describe(self) -> str:
        """The chat's bot messages, for failure messages."""
        shown = self.messages[-15:]
        if not shown:
            return "the bot sent nothing to this chat"
        return "bot messages: " + ", ".join(repr(m) for m in shown)

    async def _answer(self, query: CallbackQueryRec, seconds: float) -> CallbackAnswer:
        def check() -> CallbackAnswer | None:
            if not query.answered or query.answer is None:
                return None
            a = query.answer
            return CallbackAnswer(
                a["text"], bool(a["show_alert"]), a["url"], int(a["cache_time"] or 0)
            )

        return await self._wait(check, seconds, f"callback query {query.data!r} not answered")


class SimGroup(ChatView):
    """A group chat; users post in it with `user.send_in(group, text)`."""

    @property
    def title(self) -> str | None:
        """The group title."""
        return self.chat.title

    def add_admin(self, user_id: int) -> None:
        """Make a user (or the bot) an administrator of the group."""
        self.chat.admins = self.chat.admins | {user_id}


class SimUser(ChatView):
    """A simulated Telegram user and their private chat with the bot."""

    def __init__(self, state: SandboxState, chat: ChatRec) -> None:
        super().__init__(state, chat)
        assert chat.user is not None
        self.user = chat.user

    @property
    def id(self) -> int:
        """User id (== private chat id)."""
        return self.user.id

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the chat's current reply keyboard (None when removed)."""
        markup = self.chat.reply_keyboard
        return [[b["text"] for b in row] for row in markup["keyboard"]] if markup else None

    @property
    def keyboard_hidden(self) -> bool:
        """A one_time_keyboard was used (still reopenable, as in Telegram)."""
        return self.chat.keyboard_hidden

    @property
    def commands(self) -> list[JSON]:
        """The command menu this user sees."""
        return self.state.commands_for(self.id, self.user.language_code)

    def _post(self, content: JSON, kind: str, reply_to: int | None = None) -> ChatMessage:
        return ChatMessage(actions.post(self.state, self.user, self.chat, content, kind, reply_to))

    async def send(self, text: str, reply_to: int | None = None) -> ChatMessage:
        """Send a text (commands get a bot_command entity)."""
        return self._post(actions.text_content(text), "text", reply_to)

    async def start(self, payload: str | None = None) -> ChatMessage:
        """Send /start, or the deep link '/start <payload>'."""
        return await self.send(f"/start {payload}" if payload else "/start")

    async def send_photo(self, data: bytes = SAMPLE_PNG, caption: str | None = None) -> ChatMessage:
        """Send a photo (a tiny PNG by default)."""
        return self._post(actions.photo_content(self.state, data, caption), "photo")

    async def send_document(
        self,
        data: bytes = b"%PDF-1.4 sandbox\n",
        filename: str = "tai-lieu.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
    ) -> ChatMessage:
        """Send a document."""
        content = actions.document_content(self.state, data, filename, mime_type, caption)
        return self._post(content, "document")

    async def send_voice(self, data: bytes = SAMPLE_OGG, duration: int = 3) -> ChatMessage:
        """Send a voice note."""
        return self._post(actions.voice_content(self.state, data, duration), "voice")

    async def send_location(
        self,
        latitude: float = actions.DEFAULT_LOCATION[0],
        longitude: float = actions.DEFAULT_LOCATION[1],
    ) -> ChatMessage:
        """Share a location."""
        return self._post({"location": {"latitude": latitude, "longitude": longitude}}, "location")

    async def send_contact(
        self, phone: str | None = None, first_name: str | None = None, last_name: str | None = None
    ) -> ChatMessage:
        """Share a contact (default: the user's own, with user_id set)."""
        phone = phone or self.user.phone or f"+8490{self.id % 10_000_000:07d}"
        content = actions.contact_content(
            self.user, phone, first_name or self.user.first_name, last_name or self.user.last_name
        )
        return self._post(content, "contact")

    async def send_sticker(self, emoji: str = "👍") -> ChatMessage:
        """Send a sticker."""
        return self._post(actions.sticker_content(self.state, emoji), "sticker")

    async def forward(
        self, text: str, origin: str = "user", source: SimUser | None = None, name: str = "Ẩn danh"
    ) -> ChatMessage:
        """Forward a text written by `source` (origin "user") or by a hidden user."""
        src = (source or self).user if origin == "user" else None
        return self._post(actions.forward_content(text, origin, src, name), "text")

    async def edit(self, message: int | ChatMessage, new_text: str) -> JSON:
        """Edit one of the user's own messages (an edited_message update)."""
        message_id = message if isinstance(message, int) else message.message_id
        return actions.edit(self.state, self.user, self.chat, message_id, new_text)

    async def send_in(self, group: SimGroup, text: str) -> ChatMessage:
        """Post a text in a group."""
        rec = actions.post(self.state, self.user, group.chat, actions.text_content(text), "text")
        return ChatMessage(rec)

    def _find_button(
        self, label: str, message: ChatMessage | int | None
    ) -> tuple[ChatMessage, str | None]:
        if message is not None:
            rec = self.chat.messages.get(
                message if isinstance(message, int) else message.message_id
            )
            candidates = [ChatMessage(rec)] if rec else []
        else:
            candidates = [m for m in reversed(self.messages) if not m.deleted]
        for exact in (True, False):
            for msg in candidates:
                for row in msg.buttons:
                    for text, value in row:
                        if text == label or (not exact and label in text):
                            markup = msg.data["reply_markup"]["inline_keyboard"]
                            button = next(b for r in markup for b in r if b["text"] == text)
                            if "callback_data" not in button:
                                raise AssertionError(f"button {text!r} is not a callback button")
                            return msg, value
        raise AssertionError(f"no inline button {label!r}; {self.describe()}")

    async def press(
        self,
        label: str,
        message: ChatMessage | int | None = None,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """Press an inline button by label and return the bot's answer; see README."""
        msg, data = self._find_button(label, message)
        query = actions.callback(self.state, self.user, self.chat, msg.message_id, data)
        return await self._answer(query, timeout)

    async def press_data(
        self,
        message: ChatMessage | int,
        data: str,
        timeout: float = WAIT,  # noqa: ASYNC109
        expect_answer: bool = True,
    ) -> CallbackAnswer | None:
        """Send a callback_query with arbitrary (possibly forged) data for a message."""
        message_id = message if isinstance(message, int) else message.message_id
        query = actions.callback(self.state, self.user, self.chat, message_id, data)
        return await self._answer(query, timeout) if expect_answer else None

    async def press_reply(self, label: str) -> ChatMessage:
        """Press a reply-keyboard button (text, or contact/location for request buttons)."""
        return ChatMessage(actions.press_reply_button(self.state, self.user, self.chat, label))

    def block(self) -> None:
        """Block the bot (sends get 403; my_chat_member "kicked" is queued)."""
        actions.set_blocked(self.state, self.user, True)

    def unblock(self) -> None:
        """Unblock the bot (my_chat_member "member")."""
        actions.set_blocked(self.state, self.user, False)

    def __repr__(self) -> str:
        return f"<SimUser {self.id} {self.user.full_name!r}>"


class SimZaloUser(ChatView):
    """A simulated Zalo user writing to the sandbox's Zalo bot (sandbox/zalo.py).

    The chat shows both sides as the web page does; `next_message` and
    `wait_for` work as for a Telegram user. Zalo has no buttons and no edits.
    """

    def __init__(self, state: SandboxState, chat: ChatRec) -> None:
        super().__init__(state, chat)
        assert chat.user is not None
        self.user = chat.user

    @property
    def id(self) -> int:
        """The sandbox's number for the user (Zalo itself only knows `zalo_id`)."""
        return self.user.id

    @property
    def zalo_id(self) -> str:
        """The user's (and chat's) id on Zalo: a string."""
        return zalo_id_of(self.user.id)

    async def send(self, text: str) -> JSON:
        """Write a text; returns the Zalo update queued (event_name, message)."""
        return zalo.send_text(self.state, self.user, text)[1]

    async def send_photo(self, data: bytes = SAMPLE_PNG, caption: str | None = None) -> JSON:
        """Send a photo: the bot gets a photo_url that expires."""
        return zalo.send_photo(self.state, self.user, data, caption)[1]

    async def send_sticker(self) -> JSON:
        """Send a sticker."""
        return zalo.send_sticker(self.state, self.user)[1]

    async def send_protected(self, text: str = "xin chào") -> JSON:
        """Write as a protected user (a minor): the bot gets no content."""
        return zalo.send_protected(self.state, self.user, text)[1]

    def __repr__(self) -> str:
        return f"<SimZaloUser {self.id} {self.zalo_id} {self.user.full_name!r}>"


def _wanted(contains: str | None) -> str:
    return f"contains={contains!r}" if contains is not None else "predicate"
