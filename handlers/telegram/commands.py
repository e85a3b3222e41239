"""The command lists Telegram shows: citizens' for everyone, more for officers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Chat, Update
from telegram.error import TelegramError
from telegram.ext import TypeHandler

from bot.core.config import LANGUAGES
from bot.core.i18n import _, use_language
from bot.messaging.channels import Recipient
from bot.people.officers import Officer, Role
from handlers.telegram.common import CHANNEL_KEY, Context, TelegramApp, speaker_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommandSpec:
    """A command in the menu: its name, a translatable description, who may use it."""

    name: str
    description: str
    roles: frozenset[Role] = frozenset()  # empty: a citizen's command
    order: int = 50


_REGISTRY: dict[str, CommandSpec] = {}


def declare(name: str, description: str, *roles: Role, order: int = 50) -> CommandSpec:
    """Add a command to the menus; each feature declares its own in `register()`."""
    spec = CommandSpec(name, description, frozenset(roles), order)
    _REGISTRY[name] = spec
    return spec


def citizen_commands() -> list[CommandSpec]:
    return sorted((c for c in _REGISTRY.values() if not c.roles), key=lambda c: (c.order, c.name))


def officer_commands(roles: frozenset[Role]) -> list[CommandSpec]:
    return sorted(
        (c for c in _REGISTRY.values() if c.roles & roles), key=lambda c: (c.order, c.name)
    )


def _bot_commands(specs: list[CommandSpec], language: str) -> list[BotCommand]:
    with use_language(language):
        return [BotCommand(c.name, _(c.description)) for c in specs]


# What an officer's chat menu was last set to: their roles, or None once removed.
Given = frozenset[Role] | None
MENUS_KEY = "commands.officer_menus"
# Before every other handler (the gate is -1): the menu is set before the reply.
MENU_GROUP = -2


class OfficerMenus:
    """Each officer's own menu, set again only when their roles change.

    `python -m bot officer add` writes to the database while the bot runs;
    the bot sees the change when that person next writes to it, and sets
    their menu before answering, so the menu is there with the reply.
    """

    def __init__(self, channel: str) -> None:
        self._channel = channel  # the application's: its bot reaches only these officers
        self._given: dict[Recipient, Given] = {}

    async def publish(self, bot: Bot, officers: list[Officer]) -> None:
        """Set every menu: citizens' by language, and each officer's in their own chat."""
        for language in LANGUAGES:
            # Vietnamese is also the default for apps set to any other language.
            code = None if language == "vi" else language
            await bot.set_my_commands(
                _bot_commands(citizen_commands(), language), BotCommandScopeDefault(), code
            )
        await self.sync(bot, officers, force=True)

    async def sync(self, bot: Bot, officers: list[Officer], *, force: bool = False) -> None:
        """Set the menus of the officers whose roles changed since they were last set."""
        for officer in officers:
            await self.refresh(bot, officer, force=force)

    async def refresh(self, bot: Bot, officer: Officer, *, force: bool = False) -> None:
        """Set or remove one officer's menu if it no longer matches their roles."""
        if officer.recipient.channel != self._channel:
            return
        given: Given = officer.roles if officer.active else None
        if (
            not force
            and officer.recipient in self._given
            and self._given[officer.recipient] == given
        ):
            return
        scope = BotCommandScopeChat(int(officer.recipient.external_id))
        try:
            await _set_menu(bot, scope, given)
        except TelegramError as exc:
            # An officer who never opened a chat with the bot cannot get a menu yet.
            log.warning("cannot set commands for officer %s: %s", officer.id, exc)
            return
        self._given[officer.recipient] = given


async def _set_menu(bot: Bot, scope: BotCommandScopeChat, roles: Given) -> None:
    for language in LANGUAGES:
        code = None if language == "vi" else language
        if roles is None:
            await bot.delete_my_commands(scope, code)
        else:
            specs = citizen_commands() + officer_commands(roles)
            await bot.set_my_commands(_bot_commands(specs, language), scope, code)


async def refresh_on_message(update: Update, context: Context) -> None:
    """Give a person who became (or stopped being) an officer their menu as they write."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot or chat is None or chat.type != Chat.PRIVATE:
        return
    officer = (await speaker_of(update, context)).officer
    if officer is not None:
        await menus(context.bot_data).refresh(context.bot, officer)


def menus(bot_data: dict[Any, Any]) -> OfficerMenus:
    """The application's record of officers' menus."""
    found = bot_data.get(MENUS_KEY)
    if not isinstance(found, OfficerMenus):
        found = bot_data[MENUS_KEY] = OfficerMenus(bot_data[CHANNEL_KEY].name)
    return found


def register(application: TelegramApp) -> None:
    application.add_handler(TypeHandler(Update, refresh_on_message), group=MENU_GROUP)
