"""`/help`: what a citizen, and an officer, can do here."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _
from handlers.telegram import commands, menu, words
from handlers.telegram.commands import CommandSpec
from handlers.telegram.common import (
    Context,
    TelegramApp,
    channel_of,
    message_of,
    recipient_of,
    services,
)


def help_text(
    citizen: list[CommandSpec], officer: list[CommandSpec], *, plain_words: bool = False
) -> str:
    """The command list with one line each, officers' commands apart.

    Where people do not type slashes (`plain_words`), a command is shown by
    the word that stands for it ("tra cứu"), if it has one.
    """
    lines = [_("Here is what I can do:")]
    lines += [f"{_name(c, plain_words)} — {_(c.description)}" for c in citizen]
    if officer:
        lines += ["", _("For officers:")]
        lines += [f"{_name(c, plain_words)} — {_(c.description)}" for c in officer]
    if plain_words:
        lines += ["", _("Type these words as they are, with or without diacritics.")]
    else:
        lines += ["", _("You can also use the menu buttons under the text box.")]
    return "\n".join(lines)


def _name(command: CommandSpec, plain_words: bool) -> str:
    word = words.word_for(command.name) if plain_words else None
    return f"“{word}”" if word else f"/{command.name}"


async def show_help(update: Update, context: Context) -> None:
    """List the commands this person may use."""
    officer = await services(context).officers.get(recipient_of(update, context))
    officer_specs = commands.officer_commands(officer.roles) if officer else []
    plain_words = not channel_of(context.application).slash_commands
    await message_of(update).reply_text(
        help_text(commands.citizen_commands(), officer_specs, plain_words=plain_words),
        reply_markup=menu.keyboard(),
    )


def register(application: TelegramApp) -> None:
    commands.declare("help", N_("What this bot can do"), order=80)
    menu.add(menu.MenuItem("help", N_("ℹ️ Help"), show_help, order=90))
    application.add_handler(CommandHandler("help", show_help, filters.ChatType.PRIVATE))
