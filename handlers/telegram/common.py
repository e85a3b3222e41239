"""What every handler needs: the services, who is speaking, and safe replies."""

from __future__ import annotations

from typing import Any, cast

from telegram import CallbackQuery, Message, Update, User
from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

from bot.messaging.channels import Recipient
from bot.services import Services

Context = ContextTypes.DEFAULT_TYPE
# The rate limiter changes the bot's type parameter; handlers do not care which.
TelegramApp = Application[ExtBot[Any], Any, Any, Any, Any, JobQueue[Any]]
SERVICES_KEY = "services"


def services(context: Context) -> Services:
    """The domain services opened at start-up."""
    return cast(Services, context.bot_data[SERVICES_KEY])


def app_services(application: TelegramApp) -> Services:
    return cast(Services, application.bot_data[SERVICES_KEY])


def sender(update: Update) -> Recipient:
    """The person behind an update, as the domain knows them."""
    user = update.effective_user
    if user is None:
        raise ValueError("update has no user")
    return Recipient.telegram(user.id)


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
