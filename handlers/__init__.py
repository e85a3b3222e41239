"""python-telegram-bot handlers, one module per feature, composed here."""

from __future__ import annotations

from handlers import (
    broadcast_admin,
    errors,
    fallback,
    gate,
    help,
    membership,
    menu,
    news,
    officers,
    onboarding,
    post,
    settings,
)
from handlers.common import TelegramApp


def register_all(application: TelegramApp) -> None:
    """Add every feature's handlers. Order matters!

    - `gate` runs first (group -1) for every update: language, groups, edits.
    - In group 0 the first matching handler wins, so features come before
      `menu` (which matches button labels) only where their filters are
      narrower; `fallback` comes last and catches whatever nobody handled.
    """
    gate.register(application)
    membership.register(application)
    onboarding.register(application)
    settings.register(application)
    help.register(application)
    officers.register(application)
    news.register(application)
    post.register(application)  # its composer input handler must precede menu and fallback
    broadcast_admin.register(application)
    menu.register(application)
    fallback.register(application)
    application.add_error_handler(errors.on_error)
