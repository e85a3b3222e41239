"""The persistent main menu: features add actions, labels match in any language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

from bot.core.config import LANGUAGES
from bot.core.i18n import _, use_language
from handlers.telegram.common import Context, TelegramApp, message_of
from handlers.telegram.keyboards import menu_keyboard

Callback = Callable[[Update, Context], Awaitable[None]]


@dataclass(frozen=True)
class MenuItem:
    """One button of the menu: a stable id, a translatable label, what it does."""

    id: str
    label: str
    callback: Callback
    order: int = 50


_ITEMS: dict[str, MenuItem] = {}


def add(item: MenuItem) -> None:
    _ITEMS[item.id] = item


def items() -> list[MenuItem]:
    return sorted(_ITEMS.values(), key=lambda i: (i.order, i.id))


def keyboard() -> ReplyKeyboardMarkup:
    """The menu in the current language."""
    return menu_keyboard([_(item.label) for item in items()])


def item_for_text(text: str) -> MenuItem | None:
    """Which menu button a typed text is, whichever language it was shown in.

    Telegram sends a reply-keyboard press as plain text, so the label is all
    there is; matching it against every translation keeps routing stable
    when labels change language.
    """
    for item in items():
        for language in LANGUAGES:
            with use_language(language):
                if text.strip() == _(item.label):
                    return item
    return None


class _MenuFilter(filters.MessageFilter):
    def filter(self, message: object) -> bool:
        text = getattr(message, "text", None)
        return isinstance(text, str) and item_for_text(text) is not None


async def on_menu(update: Update, context: Context) -> None:
    """Run the action of the menu button the citizen pressed."""
    item = item_for_text(message_of(update).text or "")
    if item is not None:
        await item.callback(update, context)


def register(application: TelegramApp) -> None:
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & _MenuFilter(), on_menu)
    )
