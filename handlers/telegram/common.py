"""What every handler needs: the services, the channel, who is speaking, and safe replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, cast

from telegram import CallbackQuery, Message, Update, User
from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.messaging.channels import ChannelSpec, Recipient
from bot.people.officers import Speaker
from bot.services import Services

Context = ContextTypes.DEFAULT_TYPE
# The rate limiter changes the bot's type parameter; handlers do not care which.
TelegramApp = Application[ExtBot[Any], Any, Any, Any, Any, JobQueue[Any]]
SERVICES_KEY = "services"
CHANNEL_KEY = "channel"
AWAITED_KEY = "awaited_channels"  # a host's guests (names), set by the launcher
_SPEAKER = "_danvan_speaker"  # speaker_of's answer, on the update's context


def services(context: Context) -> Services:
    """The domain services opened at start-up."""
    return cast(Services, context.bot_data[SERVICES_KEY])


def app_services(application: TelegramApp) -> Services:
    return cast(Services, application.bot_data[SERVICES_KEY])


def language_lookup(svc: Services, channel: str) -> Callable[[str], Awaitable[str | None]]:
    """A chat on `channel` -> its citizen's or officer's language, for what a channel
    words itself outside a handler (the outbox's sends have no update to read it from)."""

    async def language_of(chat: str) -> str | None:
        who = Recipient(channel, chat)
        person = await svc.citizens.get(who) or await svc.officers.get(who)
        return person.language if person is not None else None

    return language_of


def channel_of(application: TelegramApp) -> ChannelSpec:
    """The channel this application serves (set by `build_application`)."""
    return cast(ChannelSpec, application.bot_data[CHANNEL_KEY])


def recipient_of(update: Update, context: Context) -> Recipient:
    """The person behind an update, on the channel of the application that received it."""
    return recipient_in(context.application, update)


def recipient_in(application: TelegramApp, update: Update) -> Recipient:
    """`recipient_of` where there is no context yet (an update filter)."""
    user = update.effective_user
    if user is None:
        raise ValueError("update has no user")
    return Recipient(channel_of(application).name, str(user.id))


async def speaker_of(update: Update, context: Context) -> Speaker:
    """Who sent the update: language as a citizen, officer record; read once per update.

    The gate and the officers' menu refresh both ask it, and PTB gives every
    handler of one update the same context, so the answer is kept there.
    """
    who = recipient_of(update, context)
    known: tuple[Recipient, Speaker] | None = getattr(context, _SPEAKER, None)
    if known is not None and known[0] == who:
        return known[1]
    found = await services(context).officers.speaker(who)
    setattr(context, _SPEAKER, (who, found))
    return found


def user_of(update: Update) -> User:
    user = update.effective_user
    if user is None:
        raise ValueError("update has no user")
    return user


def message_of(update: Update) -> Message:
    message = update.effective_message
    if message is None:
        raise ValueError("update has no message")
    return message


def query_of(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise ValueError("update has no callback query")
    return update.callback_query
