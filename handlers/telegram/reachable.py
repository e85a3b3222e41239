"""Whoever writes to the bot can be reached: send what waited for them now.

An officer who had not opened the bot yet, or a group the bot had been
removed from, has outbox rows waiting on a retry schedule; their first
update (/start, a message, the bot added back to the group) wakes them. On a
channel with a messaging window (Zalo OA) every update also opens the window
again, and the notifications it held back go now.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from bot.messaging.channels import Recipient
from handlers.telegram.common import Context, TelegramApp, channel_of, services


async def wake_waiting(update: Update, context: Context) -> None:
    """Note when the user was last heard from (where the channel has a messaging
    window), then wake the waiting rows of the update's user and chat (one
    indexed read when none)."""
    outbox = services(context).outbox
    channel = channel_of(context.application).name
    user = update.effective_user
    if user is not None and not user.is_bot:  # first: what wakes now is inside the window
        await outbox.heard(Recipient(channel, str(user.id)))
    ids = {entity.id for entity in (update.effective_user, update.effective_chat) if entity}
    for chat_id in ids:
        await outbox.wake(Recipient(channel, str(chat_id)))


# A group of its own: in a group only the first matching handler runs, and
# every update matches this one. Before the gate (-1), which stops group
# updates from going further, and the officers' menu refresh (-2).
WAKE_GROUP = -3


def register(application: TelegramApp) -> None:
    application.add_handler(TypeHandler(Update, wake_waiting), group=WAKE_GROUP)
