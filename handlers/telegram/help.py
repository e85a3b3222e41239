"""`/help`: what a citizen, and an officer, can do here."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _
from handlers.telegram import commands, menu
from handlers.telegram.commands import CommandSpec
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services


def help_text(citizen: list[CommandSpec], officer: list[CommandSpec]) -> str:
    """The command list with one line each, officers' commands apart."""
    lines = [_("Here is what I can do:")]
    lines += [f"/{c.name} — {_(c.description)}" for c in citizen]
    if officer:
        lines += ["", _("For officers:")]
        lines += [f"/{c.name} — {_(c.description)}" for c in officer]
    lines += ["", _("You can also use the menu buttons under the text box.")]
    return "\n".join(lines)


async def show_help(update: Update, context: Context) -> None:
    """List the commands this person may use."""
    officer = await services(context).officers.get(recipient_of(update, context))
    officer_specs = commands.officer_commands(officer.roles) if officer else []
    await message_of(update).reply_text(
        help_text(commands.citizen_commands(), officer_specs), reply_markup=menu.keyboard()
    )


def register(application: TelegramApp) -> None:
    commands.declare("help", N_("What this bot can do"), order=80)
    menu.add(menu.MenuItem("help", N_("ℹ️ Help"), show_help, order=90))
    application.add_handler(CommandHandler("help", show_help, filters.ChatType.PRIVATE))
