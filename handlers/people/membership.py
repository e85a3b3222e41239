"""Notice when a citizen blocks or unblocks the bot."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ChatMemberHandler

from handlers.telegram.common import Context, TelegramApp, recipient_of, services


async def on_my_member(update: Update, context: Context) -> None:
    """Mark a citizen who blocked the bot (nothing more is sent), or unblocked it."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    blocked = change.new_chat_member.status == ChatMember.BANNED
    await services(context).subscriptions.mark_blocked(recipient_of(update, context), blocked)


def register(application: TelegramApp) -> None:
    application.add_handler(ChatMemberHandler(on_my_member, ChatMemberHandler.MY_CHAT_MEMBER))
