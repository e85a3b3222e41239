"""Runs before every feature: picks the language, keeps groups and edits out.

The bot serves citizens only in private chats. In a group it answers only a
command addressed to it, with a pointer to a private chat; buttons pressed in
the officers' group still go through, because officers act on them there.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.core.i18n import _, set_language
from bot.people.subscriptions import initial_language
from handlers.telegram.common import Context, TelegramApp, services, speaker_of

log = logging.getLogger(__name__)


async def gate(update: Update, context: Context) -> None:
    """Set the language of this update and stop what the bot must not act on."""
    kind = _kind(update)
    # Never the text: citizens' words stay out of the logs at INFO.
    log.info("update %s: %s", update.update_id, kind)
    user = update.effective_user
    if user is not None and not user.is_bot:
        await set_update_language(update, context)
    chat = update.effective_chat
    if update.callback_query is not None or update.my_chat_member is not None:
        return
    if chat is not None and chat.type != Chat.PRIVATE:
        message = update.message
        if (
            message
            and message.text
            and message.text.startswith("/")
            and _addressed(message.text, context)
        ):
            await message.reply_text(
                _("Please talk to me in a private chat: @{bot}").format(bot=context.bot.username)
            )
        raise ApplicationHandlerStop
    if update.edited_message is not None:
        await update.edited_message.reply_text(
            _(
                "I do not read edited messages again. If something changed, please send a new message."
            )
        )
        raise ApplicationHandlerStop


async def set_update_language(update: Update, context: Context) -> None:
    """Serve this update in its sender's language: a citizen's, an officer's, or a guess."""
    speaker = await speaker_of(update, context)
    if speaker.citizen_language is not None:
        set_language(speaker.citizen_language)
        return
    officer = speaker.officer if speaker.officer and speaker.officer.active else None
    hint = update.effective_user.language_code if update.effective_user else None
    set_language(
        officer.language if officer else initial_language(hint, services(context).settings)
    )


def _addressed(text: str, context: Context) -> bool:
    command = text.split()[0]
    return "@" not in command or command.endswith(f"@{context.bot.username}")


def _kind(update: Update) -> str:
    for name in ("message", "edited_message", "callback_query", "my_chat_member"):
        if getattr(update, name, None) is not None:
            return name
    return "other"


def register(application: TelegramApp) -> None:
    application.add_handler(TypeHandler(Update, gate), group=-1)
