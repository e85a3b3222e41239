"""Where a channel has no buttons or no slash commands: numbers, plain words, a first hello.

Runs before every other handler (group -4) and only on such a channel
(`ChannelSpec.inline_buttons`, `slash_commands`); it turns the message into
the update the person would have sent on Telegram and hands that to the
application, so the same gate, router and features handle it. Numbers are
read wherever the channel keeps lists (`store_of`): every list on Zalo Bot,
and on the Zalo OA what a follower types instead of tapping a button:

```mermaid
flowchart TD
  msg[private message] --> num{just a number?}
  num -- "list open, in range" --> press([a button press, through the router])
  num -- "list open, out of range" --> hint[/"choose 1–N"/]
  num -- "list closed, no form open" --> stale[/"that list is no longer open"/]
  num -- "no list ever, or a form takes it" --> cmd
  cmd{a command, or its plain word?} -- "/cmd" --> close[close the list] --> on([as typed, marked a command])
  cmd -- "a word: tra cứu PA-…" --> close2[close the list] --> command([the command, through its handler])
  cmd -- no --> new{nobody known yet, on a channel without buttons?}
  new -- yes --> start([/start: onboarding])
  new -- no --> on
```

The press made by number has an id `PRESS_PREFIX…`, so the router's answer
to it comes back to the chat as a plain message (`plain_request`).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, cast

from telegram import Chat, Message, MessageEntity, Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.core.i18n import N_, _
from bot.messaging.choices import Choices, ChoiceStore, choice_number
from handlers.telegram import words
from handlers.telegram.common import Context, TelegramApp, channel_of, recipient_of, services
from handlers.telegram.gate import set_update_language
from handlers.telegram.plain_request import PRESS_PREFIX, keeping_choices

log = logging.getLogger(__name__)
STORE_KEY = "choices.store"
CHOICES_GROUP = -4  # before the outbox wake-up (-3) and the gate (-1): they see what it makes
NO_LONGER_OPEN = N_(
    "That list is no longer open. Please answer the latest message, or send “help”."
)
OUT_OF_RANGE = N_("Please choose a number from 1 to {last}.")


def store_of(application: TelegramApp) -> ChoiceStore | None:
    """The channel's open lists (set at start-up where the channel has no buttons)."""
    return cast(ChoiceStore | None, application.bot_data.get(STORE_KEY))


async def translate(update: Update, context: Context) -> None:
    """Turn a number, a plain word or a newcomer's hello into what Telegram would have sent."""
    spec = channel_of(context.application)
    message = update.message
    if spec.inline_buttons and spec.slash_commands:
        return
    if message is None or message.chat.type != Chat.PRIVATE or message.from_user is None:
        return
    text = message.text or ""
    # Where lists are answered by number (a store is open): Zalo Bot, and the OA's
    # typed numbers (its buttons come back as payloads, `handlers/zalo_oa/events.py`).
    has_lists = store_of(context.application) is not None
    number = choice_number(text) if text and has_lists else None
    if number is not None and await _answer(update, context, message, number):
        raise ApplicationHandlerStop
    if text.startswith("/"):
        await _close(context, message)  # a command moves the flow on
        if spec.slash_commands or _is_command(message):
            return
        # Typed on a channel that does not mark commands: mark it, as Telegram would.
        await context.application.process_update(_as_command(update, context, message, text))
        raise ApplicationHandlerStop
    if spec.slash_commands:
        return
    command = words.command_for(text)
    # Where following is an event of its own (the OA's `follow`), that starts onboarding.
    if command is None and not spec.inline_buttons and await _newcomer(update, context):
        command = "/start"
    if command is not None:
        await _close(context, message)
        await context.application.process_update(_as_command(update, context, message, command))
        raise ApplicationHandlerStop


async def _answer(update: Update, context: Context, message: Message, number: int) -> bool:
    """Press the button the number stands for; False when the number is not an answer."""
    choices = store_of(context.application)
    chat = str(message.chat_id)
    found = await choices.get(chat) if choices is not None else None
    if choices is None or found is None:
        return False
    if not found.open:
        if services(context).conversations.flow_of(recipient_of(update, context)) is not None:
            return False  # a form waits for this text: a number is its answer
        await _note(update, context, message, NO_LONGER_OPEN)
        return True
    if not 1 <= number <= len(found.actions):
        await _note(update, context, message, OUT_OF_RANGE, last=len(found.actions))
        return True
    await choices.close(chat, found.message_id)
    await context.application.process_update(_as_press(update, context, message, found, number))
    return True


async def _note(
    update: Update, context: Context, message: Message, text: str, **values: object
) -> None:
    """A short reply about the list, in the person's language, that leaves the list as it is."""
    await set_update_language(update, context)  # before the text is translated
    with keeping_choices():
        await message.reply_text(_(text).format(**values))


async def _close(context: Context, message: Message) -> None:
    choices = store_of(context.application)
    if choices is not None:
        await choices.close(str(message.chat_id))


async def _newcomer(update: Update, context: Context) -> bool:
    """Nobody the bot knows: neither a citizen (even one not done subscribing) nor an officer."""
    svc, who = services(context), recipient_of(update, context)
    return await svc.citizens.get(who) is None and await svc.officers.get(who) is None


def _as_press(
    update: Update, context: Context, message: Message, found: Choices, number: int
) -> Update:
    """The press of the numbered button on the message that showed the list."""
    listed = found.message_id
    query: dict[str, Any] = {
        "id": f"{PRESS_PREFIX}{message.chat_id}:{secrets.token_hex(4)}",
        "from": _user(message),
        "chat_instance": str(message.chat_id),
        "data": found.actions[number - 1],
        "message": {
            "message_id": int(listed) if listed.isdigit() else listed,
            "date": int(message.date.timestamp()),
            "chat": message.chat.to_dict(),
            "from": context.bot.bot.to_dict(),
            "text": "",
        },
    }
    return Update.de_json({"update_id": update.update_id, "callback_query": query}, context.bot)


def _as_command(update: Update, context: Context, message: Message, command: str) -> Update:
    """The message as if its sender had typed `command` (e.g. "/track PA-7KX45")."""
    name = command.split()[0]
    typed = {
        "message_id": message.message_id,
        "date": int(message.date.timestamp()),
        "chat": message.chat.to_dict(),
        "from": _user(message),
        "text": command,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(name)}],
    }
    return Update.de_json({"update_id": update.update_id, "message": typed}, context.bot)


def _is_command(message: Message) -> bool:
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities)


def _user(message: Message) -> dict[str, Any]:
    assert message.from_user is not None
    return message.from_user.to_dict()


def register(application: TelegramApp) -> None:
    application.add_handler(TypeHandler(Update, translate), group=CHOICES_GROUP)
