"""The Bot API calls of any handler, made fit for a channel without buttons, formatting or edits.

A `PlainRequest` sits between a python-telegram-bot `Bot` and its transport
(Telegram's HTTP, the sandbox, or a Zalo request class underneath), so every
handler and the outbox sender keep calling the Bot API as for Telegram, and
the narrower channel receives only what it can show:

| the bot calls                         | the channel receives, where its `ChannelSpec` lacks it  |
|---------------------------------------|----------------------------------------------------------|
| a message with inline buttons         | numbered lines + "Reply 1, 2 or 3" (`inline_buttons`);   |
|                                       | the list is kept for the chat (`ChoiceStore`)            |
| a link button                         | a line with the link                                     |
| a reply keyboard (menu, contact)      | nothing: the keyboard is dropped (`inline_buttons`: a    |
|                                       | channel with buttons shows its buttons as buttons)       |
| HTML (`parse_mode`)                   | plain text, links as "text (url)" (`formatting`)         |
| a text over the channel's limit       | several messages, cut at paragraph ends (`text_limit`)   |
| `editMessageText`/`Caption`           | a new message (`can_edit`; `replies.py` already sends    |
|                                       | one: this is the safety net, logged)                     |
| `editMessageReplyMarkup`              | nothing                                                  |
| the answer to a press made by number  | a plain message, or nothing when it has no text          |

A reply without a list (`answering`: an application's bot) closes the chat's
open list, since the flow moved on (`bot.messaging.choices`); the two notes
that answer a number (`keeping_choices`) leave it open, and so do the
messages the outbox sends on the bot's own initiative, which a citizen may
get in the middle of a flow.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter  # PTB builds its calls of these

from bot.core.i18n import _, use_language
from bot.messaging.channels import ChannelSpec
from bot.messaging.choices import ChoiceStore
from bot.messaging.markup import Run, Runs, split, to_plain, visible
from bot.messaging.messages import OutgoingMessage
from handlers.telegram import words

log = logging.getLogger(__name__)

# The id of a press made by typing a number: "choice:<chat id>:<nonce>".
PRESS_PREFIX = "choice:"
_FILES = ("sendPhoto", "sendDocument", "sendVoice", "sendVideo", "sendAudio", "sendAnimation")
_EDITS = ("editMessageText", "editMessageCaption")
_OK_TRUE = b'{"ok":true,"result":true}'
LanguageOf = Callable[[str], Awaitable[str | None]]  # a chat -> its person's language, if known
_keeping: ContextVar[bool] = ContextVar("keeping_choices", default=False)


@contextmanager
def keeping_choices() -> Iterator[None]:
    """Messages sent in this block leave the chat's open list open (a hint about it)."""
    token = _keeping.set(True)
    try:
        yield
    finally:
        _keeping.reset(token)


def keeping() -> bool:
    """Whether the message being sent is inside `keeping_choices` (another transport asks)."""
    return _keeping.get()


def narrower(spec: ChannelSpec) -> bool:
    """Whether a channel lacks something Telegram has, so its bots' calls go through here."""
    return not (spec.can_edit and spec.inline_buttons and spec.formatting)


def instruction(count: int) -> str:
    """How to answer a list of `count` numbered lines."""
    if count == 1:
        return _("Reply 1.")
    if count <= 4:
        numbers = ", ".join(str(n) for n in range(1, count))
        return _("Reply {numbers} or {last}.").format(numbers=numbers, last=count)
    return _("Reply with a number from 1 to {last}.").format(last=count)


# A button to list: its label, its packed action (None for a link) and its link (if any).
Listed = tuple[str, str | None, str | None]


def numbered(buttons: Iterable[Iterable[Listed]]) -> tuple[str, list[str]]:
    """Buttons as lines: "1. label" for an action, "🔗 label: url" for a link.

    Returns the lines (with how to answer) and the actions in their numbers'
    order, for `ChoiceStore.show`. Any channel without buttons words its
    lists with this (`message_lines` for the outbox's messages).
    """
    lines: list[str] = []
    actions: list[str] = []
    links: list[str] = []
    for row in buttons:
        for label, action, url in row:
            if action:
                actions.append(action)
                lines.append(f"{len(actions)}. {label}")
            elif url:
                links.append(f"🔗 {label}: {url}")
    blocks = ["\n".join(lines)] if lines else []
    if links:
        blocks.append("\n".join(links))
    if actions:
        blocks.append(instruction(len(actions)))
    return "\n\n".join(blocks), actions


def message_lines(message: OutgoingMessage) -> tuple[str, list[str]]:
    """An outgoing message's buttons as `numbered` lines and actions."""
    return numbered(
        [(b.label, b.action.pack() if b.action else None, b.url) for b in row]
        for row in message.buttons
    )


def _listed(keyboard: list[list[dict[str, Any]]]) -> list[list[Listed]]:
    """A Bot API inline keyboard's buttons, as `numbered` takes them."""
    return [
        [
            (str(b.get("text", "")), b.get("callback_data") or None, b.get("url") or None)
            for b in row
        ]
        for row in keyboard
    ]


class PlainRequest(BaseRequest):
    """Wraps the request of a bot that serves a channel narrower than Telegram.

    `choices` is the channel's store of open lists; an application's bot is
    built before the database is open, so it is attached at start-up.
    `answering`: the bot replies to people (an application's), so a message
    without a list closes the open one; the outbox sender's bots do not.
    """

    def __init__(
        self,
        inner: BaseRequest,
        spec: ChannelSpec,
        choices: ChoiceStore | None = None,
        language: LanguageOf | None = None,
        *,
        answering: bool = True,
    ) -> None:
        self._inner = inner
        self._spec = spec
        self.choices = choices
        self._answering = answering
        # Outside an update (the outbox sender) the chat's language says how to word the list.
        self._language = language

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

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
        timeouts = {
            "read_timeout": read_timeout,
            "write_timeout": write_timeout,
            "connect_timeout": connect_timeout,
            "pool_timeout": pool_timeout,
        }
        endpoint = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        call = _Call(self._inner, url, method, request_data, timeouts)
        if endpoint == "answerCallbackQuery":
            query_id = str(params.get("callback_query_id", ""))
            if query_id.startswith(PRESS_PREFIX):
                return await self._answer(call, query_id, params.get("text"))
        elif endpoint in _EDITS and not self._spec.can_edit:
            log.warning("%s on a channel without edits: sent as a new message", endpoint)
            kept = {k: params.get(k) for k in ("chat_id", "parse_mode", "reply_markup")}
            text = params.get("text", params.get("caption", ""))
            return await self._send_text(call.to("sendMessage"), {**kept, "text": text})
        elif endpoint == "editMessageReplyMarkup" and not self._spec.can_edit:
            return 200, _OK_TRUE
        elif endpoint == "sendMessage":
            return await self._send_text(call, params)
        elif endpoint in _FILES:
            return await self._send_file(call, params)
        return await call.send(request_data)

    async def _answer(self, call: _Call, query_id: str, text: object) -> tuple[int, bytes]:
        """A press made by number is answered in the chat, as a plain note, if at all."""
        if text:
            chat = query_id[len(PRESS_PREFIX) :].split(":", 1)[0]
            with keeping_choices():
                await self._send_text(call.to("sendMessage"), {"chat_id": chat, "text": text})
        return 200, _OK_TRUE

    async def _send_text(self, call: _Call, params: dict[str, Any]) -> tuple[int, bytes]:
        keyboard, kept_markup = self._keyboard(params)
        lines, actions = await self._numbered(str(params.get("chat_id")), keyboard)
        text = self._plain(str(params.get("text", "")), params.get("parse_mode"))
        text = await self._worded(str(params.get("chat_id")), text)
        base = {k: v for k, v in params.items() if k not in ("text", "entities", "reply_markup")}
        if not self._spec.formatting:
            base.pop("parse_mode", None)
        parts = self._parts(text, lines)
        status, payload = 200, _OK_TRUE
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            extra = {"reply_markup": kept_markup} if last and kept_markup else {}
            status, payload = await call.post({**base, "text": part, **extra})
            if status != 200:
                return status, payload
        await self._remember(str(params.get("chat_id")), payload, actions)
        return status, payload

    async def _send_file(self, call: _Call, params: dict[str, Any]) -> tuple[int, bytes]:
        """The file with a plain caption; its buttons, numbered, in a message after it."""
        keyboard, kept_markup = self._keyboard(params)
        changes: dict[str, object] = {"reply_markup": kept_markup, "caption_entities": None}
        if not self._spec.formatting:
            caption = params.get("caption")
            plain = self._plain(str(caption), params.get("parse_mode")) if caption else ""
            plain = await self._worded(str(params.get("chat_id")), plain)
            changes["caption"] = plain or None
            changes["parse_mode"] = None
        status, payload = await call.send(call.replaced(changes))
        if status != 200:
            return status, payload
        if not keyboard:
            await self._remember(str(params.get("chat_id")), payload, [])
            return status, payload
        buttons = {"chat_id": params.get("chat_id"), "reply_markup": params["reply_markup"]}
        return await self._send_text(call.to("sendMessage"), {**buttons, "text": ""})

    async def _numbered(
        self, chat: str, keyboard: list[list[dict[str, Any]]]
    ) -> tuple[str, list[str]]:
        if not keyboard:
            return "", []
        language = await self._language(chat) if self._language is not None else None
        with use_language(language) if language else nullcontext():
            return numbered(_listed(keyboard))

    async def _worded(self, chat: str, text: str) -> str:
        """Where people type no slashes, "gửi /track …" reads "gửi “tra cứu” …" (`words.spoken`),
        in the chat's language."""
        if self._spec.slash_commands or "/" not in text:
            return text
        language = await self._language(chat) if self._language is not None else None
        with use_language(language) if language else nullcontext():
            return words.spoken(text)

    def _keyboard(self, params: dict[str, Any]) -> tuple[list[list[dict[str, Any]]], object]:
        """The inline keyboard to number (if the channel has no buttons) and the markup to keep."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict):
            return [], None
        if self._spec.inline_buttons:
            return [], markup  # a keyboard's buttons too (the Zalo OA shows them as buttons)
        if "inline_keyboard" not in markup:
            return [], None  # a reply keyboard, a removal, a forced reply: none exist here
        return list(markup["inline_keyboard"]), None

    def _plain(self, text: str, parse_mode: object) -> str:
        if self._spec.formatting or not parse_mode:
            return text
        # The bot writes only HTML (`render`), the markup's own subset: no Markdown to expect.
        return to_plain(text)

    def _parts(self, text: str, lines: str = "") -> list[str]:
        """The text in pieces within the channel's limit, cut at paragraph ends where possible;
        the numbered lines stay whole, on the last piece if they fit there."""
        limit = self._spec.text_limit
        pieces = [visible(p) for p in split((Run(text),), limit, _measure)] if text.strip() else []
        if not lines:
            return pieces or [text]
        if pieces and len(pieces[-1]) + 2 + len(lines) <= limit:
            return [*pieces[:-1], f"{pieces[-1]}\n\n{lines}"]
        return [*pieces, *(visible(p) for p in split((Run(lines),), limit, _measure))]

    async def _remember(self, chat: str, payload: bytes, actions: list[str]) -> None:
        """A new list opens for the chat; a reply without one closes the open one."""
        if self.choices is None or self._spec.inline_buttons:
            return
        if actions:
            result = json.loads(payload).get("result")
            if isinstance(result, dict) and "message_id" in result:
                await self.choices.show(chat, str(result["message_id"]), actions)
        elif self._answering and not _keeping.get():
            await self.choices.close(chat)


def _measure(runs: Runs) -> int:
    """A text's length as a plain channel counts it (Zalo: characters, ends trimmed)."""
    return len(visible(runs).strip())


class _Call:
    """One call on its way to the transport, with its timeouts; sent as is or changed."""

    def __init__(
        self,
        inner: BaseRequest,
        url: str,
        method: str,
        data: RequestData | None,
        timeouts: dict[str, Any],
    ) -> None:
        self._inner, self._url, self._method = inner, url, method
        self._data, self._timeouts = data, timeouts

    def to(self, endpoint: str) -> _Call:
        """The same call aimed at another method of the same bot."""
        url = f"{self._url.rsplit('/', 1)[0]}/{endpoint}"
        return _Call(self._inner, url, "POST", None, self._timeouts)

    def replaced(self, changes: dict[str, object]) -> RequestData:
        """The call's parameters with some changed or dropped (None), its files kept."""
        # PTB exposes no public way to copy a call with its files: read its parameters.
        kept = self._data._parameters if self._data is not None else []
        params = [
            RequestParameter(p.name, changes[p.name], p.input_files) if p.name in changes else p
            for p in kept
        ]
        # A file uploaded as is has no value, only its input file.
        return RequestData([p for p in params if p.value is not None or p.input_files])

    async def post(self, params: dict[str, Any]) -> tuple[int, bytes]:
        data = RequestData(
            [RequestParameter(k, v, None) for k, v in params.items() if v is not None]
        )
        return await self.send(data)

    async def send(self, data: RequestData | None) -> tuple[int, bytes]:
        return await self._inner.do_request(self._url, self._method, data, **self._timeouts)
