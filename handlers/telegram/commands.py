"""The command lists Telegram shows: citizens' for everyone, more for officers."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.core.config import LANGUAGES
from bot.core.i18n import _, use_language
from bot.messaging.channels import TELEGRAM
from bot.people.officers import Officer, Role

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


async def publish(bot: Bot, officers: list[Officer]) -> None:
    """Set every menu: citizens' by language, and each officer's in their own chat."""
    for language in LANGUAGES:
        # Vietnamese is also the default for apps set to any other language.
        code = None if language == "vi" else language
        await bot.set_my_commands(
            _bot_commands(citizen_commands(), language), BotCommandScopeDefault(), code
        )
    for officer in officers:
        if officer.recipient.channel != TELEGRAM:
            continue
        scope = BotCommandScopeChat(int(officer.recipient.external_id))
        try:
            if not officer.active:
                for language in LANGUAGES:
                    await bot.delete_my_commands(scope, None if language == "vi" else language)
                continue
            specs = citizen_commands() + officer_commands(officer.roles)
            for language in LANGUAGES:
                code = None if language == "vi" else language
                await bot.set_my_commands(_bot_commands(specs, language), scope, code)
        except TelegramError as exc:
            # An officer who never opened a chat with the bot cannot get a menu yet.
            log.warning("cannot set commands for officer %s: %s", officer.id, exc)
