"""Replies for whatever no feature handled: a pointer to /help, never silence.

Registered last, so every feature's handlers get the update first.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.core.i18n import _
from handlers.telegram.common import Context, TelegramApp, channel_of, message_of


async def unknown_command(update: Update, context: Context) -> None:
    """Tell the citizen the command is unknown."""
    await message_of(update).reply_text(
        _("I do not know that command. Send /help to see what I can do.")
    )


async def unknown_text(update: Update, context: Context) -> None:
    """Point free text that no feature understood to /help (or its plain word, where slashes are not typed)."""
    if channel_of(context.application).slash_commands:
        text = _(
            "Sorry, I did not understand that. Use the menu buttons or send /help to see what I can do."
        )
    else:
        text = _("Sorry, I did not understand that. Send “help” to see what I can do.")
    await message_of(update).reply_text(text)


async def forwarded(update: Update, context: Context) -> None:
    """Explain that forwarded messages are not acted on."""
    await message_of(update).reply_text(
        _("I do not act on forwarded messages. Please write to me directly, or send /help.")
    )


async def other_media(update: Update, context: Context) -> None:
    """Explain that this kind of message is not understood here."""
    await message_of(update).reply_text(
        _("I cannot use this kind of message here. Send /help to see what I can do.")
    )


def register(application: TelegramApp) -> None:
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.FORWARDED, forwarded))
    application.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    application.add_handler(MessageHandler(private & filters.TEXT, unknown_text))
    application.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, other_media))
