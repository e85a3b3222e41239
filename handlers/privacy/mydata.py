"""`/mydata`: what the bot holds about a citizen in every feature, and erasing it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _, current_language
from bot.privacy.actions import MyDataClose, MyDataConfirm, MyDataErase
from bot.privacy.views import erase_question, erased_text, holdings_text
from handlers.telegram import commands, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.keyboards import confirm_keyboard
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer


async def show(update: Update, context: Context) -> None:
    """Show the citizen their data, with a button to erase it."""
    svc = services(context)
    data = await svc.privacy.holdings(recipient_of(update, context))
    days = svc.privacy.options.notification_days
    text = holdings_text(data, svc.settings, current_language(), days)
    markup = confirm_keyboard(
        (_("🗑 Erase my personal data"), MyDataErase()), (_("Close"), MyDataClose())
    )
    await reply(message_of(update), text, markup)


async def on_button(
    update: Update, context: Context, action: MyDataErase | MyDataConfirm | MyDataClose
) -> Answer | None:
    """Ask to confirm, then erase; or leave everything as it is."""
    if isinstance(action, MyDataErase):
        yes, no = (_("Yes, erase"), MyDataConfirm()), (_("No"), MyDataClose())
        await edit(update, context, erase_question(), confirm_keyboard(yes, no))
    elif isinstance(action, MyDataConfirm):
        erased = await services(context).privacy.erase(recipient_of(update, context))
        await edit(update, context, erased_text(erased))
    else:
        await edit(update, context, _("Nothing was changed."))
    return None


def register(application: TelegramApp) -> None:
    commands.declare("mydata", N_("See or erase your personal data"), order=75)
    application.add_handler(CommandHandler("mydata", show, filters.ChatType.PRIVATE))
    router.route(application, MyDataErase, on_button)
    router.route(application, MyDataConfirm, on_button)
    router.route(application, MyDataClose, on_button)
