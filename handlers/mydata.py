"""`/mydata`: what the bot holds about a citizen, and erasing their contact details."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.cases.notices import kind_name
from bot.cases.privacy import MyData
from bot.config import Settings
from bot.i18n import LANGUAGE_NAMES, N_, _
from handlers import commands
from handlers.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    sender,
    services,
)
from handlers.keyboards import confirm_keyboard
from handlers.replies import edit

PREFIX = "mydata"


def data_text(data: MyData, settings: Settings) -> str:
    """Everything held, in plain words."""
    lines = [_("What this bot holds about you:")]
    citizen = data.citizen
    if citizen is not None:
        village = settings.village(citizen.village_id)
        lines += [
            _("Name from your Telegram profile: {name}").format(name=citizen.display_name or "—"),
            _("Language: {language}").format(language=LANGUAGE_NAMES.get(citizen.language, "")),
            _("Village: {village}").format(village=village.name if village else "—"),
            _("Receiving announcements: {yes}").format(
                yes=_("yes") if citizen.subscribed else _("no")
            ),
        ]
    contacts = ", ".join(f"{c.name} {c.phone}" for c in data.contacts) or "—"
    lines.append(_("Names and phone numbers you gave: {contacts}").format(contacts=contacts))
    cases = ", ".join(f"{c.code} ({kind_name(c.kind)})" for c in data.cases) or "—"
    lines.append(_("Your cases: {cases}").format(cases=cases))
    lines += ["", _("They are used only to serve you and are never published.")]
    return "\n".join(lines)


async def show(update: Update, context: Context) -> None:
    """Show the citizen their data, with a button to erase contact details."""
    svc = services(context)
    data = await svc.cases.privacy.my_data(sender(update))
    markup = confirm_keyboard(
        (_("🗑 Erase my name and phone"), f"{PREFIX}:ask"), (_("Close"), f"{PREFIX}:no")
    )
    await message_of(update).reply_text(data_text(data, svc.settings), reply_markup=markup)


async def on_button(update: Update, context: Context) -> None:
    """Ask to confirm, then erase; or leave everything as it is."""
    query = query_of(update)
    action = callback_arg(update, 1)
    if action == "ask":
        text = _(
            "Erase your name and phone number from all your cases? The content of your cases "
            "is kept, as the law requires, without your identity. Open cases still get their "
            "answer in this chat; closed ones are no longer linked to you."
        )
        yes, no = (_("Yes, erase"), f"{PREFIX}:yes"), (_("No"), f"{PREFIX}:no")
        await edit(query, text, confirm_keyboard(yes, no))
    elif action == "yes":
        count = await services(context).cases.privacy.erase_contacts(sender(update))
        await edit(
            query, _("Done. Your name and phone were erased ({count} case(s)).").format(count=count)
        )
    else:
        await edit(query, _("Nothing was changed."))
    await query.answer()


def register(application: TelegramApp) -> None:
    commands.declare("mydata", N_("See or erase your personal data"), order=75)
    application.add_handler(CommandHandler("mydata", show, filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
