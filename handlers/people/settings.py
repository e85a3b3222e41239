"""`/settings` and `/stop`: change language, village, topics, or unsubscribe."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.core.config import Settings
from bot.core.i18n import N_, _, set_language
from bot.people.citizens import Citizen
from bot.people.subscriptions import Subscriptions, UnknownChoice
from handlers.people.subscription_views import (
    Step,
    language_step,
    settings_step,
    topics_step,
    village_step,
)
from handlers.telegram import commands, menu
from handlers.telegram.common import (
    Context,
    TelegramApp,
    callback_arg,
    message_of,
    query_of,
    sender,
    services,
)
from handlers.telegram.keyboards import confirm_keyboard
from handlers.telegram.replies import edit

PREFIX = "set"


async def show_settings(update: Update, context: Context) -> None:
    """Show the citizen's choices with a button for each."""
    svc = services(context)
    citizen = await svc.subscriptions.find(sender(update))
    if citizen is None:
        await message_of(update).reply_text(_("Please send /start first to subscribe."))
        return
    text, keyboard = settings_step(svc.settings, citizen)
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_button(update: Update, context: Context) -> None:
    """Open a picker, or save a choice and return to the settings."""
    svc = services(context)
    query, who = query_of(update), sender(update)
    action, value = callback_arg(update, 1), callback_arg(update, 2)
    try:
        citizen = await svc.subscriptions.find(who)
        if citizen is None:
            raise LookupError(who)
        if action == "menu":
            await edit(query, *_picker(svc.settings, citizen, value))
            await query.answer()
            return
        if action == "top":
            citizen = await svc.subscriptions.toggle_topic(who, value)
            await edit(query, *topics_step(svc.settings, citizen, PREFIX))
        else:
            citizen = await _save(svc.subscriptions, citizen, action, value)
            await edit(query, *settings_step(svc.settings, citizen))
        await query.answer(_("Saved."))
    except (UnknownChoice, LookupError):
        await query.answer(
            _("This button is out of date. Please send /settings again."), show_alert=True
        )


def _picker(settings: Settings, citizen: Citizen, which: str) -> Step:
    if which == "lang":
        return language_step(PREFIX)
    if which == "vil":
        return village_step(settings, citizen, PREFIX)
    if which == "top":
        return topics_step(settings, citizen, PREFIX)
    raise UnknownChoice(which)


async def _save(subscriptions: Subscriptions, citizen: Citizen, action: str, value: str) -> Citizen:
    who = citizen.recipient
    if action == "lang":
        citizen = await subscriptions.choose_language(who, value)
        set_language(citizen.language)
    elif action == "vil":
        citizen = await subscriptions.choose_village(who, value)
    elif action == "resubscribe":
        citizen = (await subscriptions.start(who, citizen.display_name, None)).citizen
    elif action != "done":
        raise UnknownChoice(action)
    return citizen


async def ask_stop(update: Update, context: Context) -> None:
    """Ask the citizen to confirm that they want no more announcements."""
    text = _(
        "Stop receiving announcements from the commune? You can come back at any time with /start."
    )
    keyboard = confirm_keyboard((_("Yes, stop"), "stop:yes"), (_("No, keep them"), "stop:no"))
    if update.callback_query:
        await update.callback_query.answer()
        await edit(update.callback_query, text, keyboard)
    else:
        await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_stop_answer(update: Update, context: Context) -> None:
    """Unsubscribe on yes; leave everything as it was on no."""
    query = query_of(update)
    if callback_arg(update, 1) == "yes":
        try:
            await services(context).subscriptions.unsubscribe(sender(update))
        except LookupError:
            await query.answer(_("Please send /start first to subscribe."), show_alert=True)
            return
        text = _("You will receive no more announcements. Send /start to subscribe again.")
    else:
        text = _("Good, you stay subscribed.")
    await query.answer()
    await edit(query, text)


def register(application: TelegramApp) -> None:
    commands.declare("settings", N_("Change language, village or topics"), order=20)
    commands.declare("stop", N_("Stop receiving announcements"), order=90)
    menu.add(menu.MenuItem("settings", N_("⚙️ Settings"), show_settings, order=80))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("settings", show_settings, private))
    application.add_handler(CommandHandler("stop", ask_stop, private))
    application.add_handler(CallbackQueryHandler(ask_stop, pattern=r"^stop:ask$"))
    application.add_handler(CallbackQueryHandler(on_stop_answer, pattern=r"^stop:(yes|no)$"))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"))
