"""`/settings` and `/stop`: change language, village, topics, or unsubscribe."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, filters

from bot.core.config import Settings
from bot.core.i18n import N_, _, set_language
from bot.people.actions import (
    Picker,
    Resubscribe,
    SettingsDone,
    SettingsLanguage,
    SettingsMenu,
    SettingsTopic,
    SettingsVillage,
    StopAsk,
    StopConfirm,
    StopKeep,
)
from bot.people.citizens import Citizen
from bot.people.subscriptions import Subscriptions, UnknownChoice
from handlers.people.subscription_views import (
    SETTINGS,
    Step,
    language_step,
    settings_step,
    topics_step,
    village_step,
)
from handlers.telegram import commands, menu, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.keyboards import confirm_keyboard
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer


async def show_settings(update: Update, context: Context) -> None:
    """Show the citizen's choices with a button for each."""
    svc = services(context)
    citizen = await svc.subscriptions.find(recipient_of(update, context))
    if citizen is None:
        await message_of(update).reply_text(_("Please send /start first to subscribe."))
        return
    text, keyboard = settings_step(svc.settings, citizen)
    await message_of(update).reply_text(text, reply_markup=keyboard)


Change = (
    SettingsMenu | SettingsLanguage | SettingsVillage | SettingsTopic | SettingsDone | Resubscribe
)


async def on_button(update: Update, context: Context, action: Change) -> Answer | None:
    """Open a picker, or save a choice and return to the settings."""
    svc = services(context)
    who = recipient_of(update, context)
    try:
        citizen = await svc.subscriptions.find(who)
        if citizen is None:
            raise LookupError(who)
        if isinstance(action, SettingsMenu):
            await edit(update, context, *_picker(svc.settings, citizen, action.picker))
            return None
        if isinstance(action, SettingsTopic):
            citizen = await svc.subscriptions.toggle_topic(who, action.topic_id)
            await edit(update, context, *topics_step(svc.settings, citizen, SETTINGS))
        else:
            citizen = await _save(svc.subscriptions, citizen, action)
            await edit(update, context, *settings_step(svc.settings, citizen))
        return Answer(_("Saved."))
    except (UnknownChoice, LookupError):
        return Answer(_("This choice is out of date. Please send /settings again."), alert=True)


def _picker(settings: Settings, citizen: Citizen, which: Picker) -> Step:
    if which is Picker.LANGUAGE:
        return language_step(SETTINGS)
    if which is Picker.VILLAGE:
        return village_step(settings, citizen, SETTINGS)
    return topics_step(settings, citizen, SETTINGS)


async def _save(
    subscriptions: Subscriptions,
    citizen: Citizen,
    action: SettingsLanguage | SettingsVillage | SettingsDone | Resubscribe,
) -> Citizen:
    who = citizen.recipient
    match action:
        case SettingsLanguage(language=code):
            citizen = await subscriptions.choose_language(who, code)
            set_language(citizen.language)
        case SettingsVillage(village_id=village):
            citizen = await subscriptions.choose_village(who, village)
        case Resubscribe():
            citizen = (await subscriptions.start(who, citizen.display_name, None)).citizen
    return citizen


def _stop_question() -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "Stop receiving announcements from the commune? You can come back at any time with /start."
    )
    keyboard = confirm_keyboard((_("Yes, stop"), StopConfirm()), (_("No, keep them"), StopKeep()))
    return text, keyboard


async def ask_stop(update: Update, context: Context) -> None:
    """Ask the citizen to confirm that they want no more announcements."""
    text, keyboard = _stop_question()
    await message_of(update).reply_text(text, reply_markup=keyboard)


async def on_stop_asked(update: Update, context: Context, action: StopAsk) -> Answer | None:
    """The same question, in place of the settings it was asked from."""
    await edit(update, context, *_stop_question())
    return None


async def on_stop_answer(
    update: Update, context: Context, action: StopConfirm | StopKeep
) -> Answer | None:
    """Unsubscribe on yes; leave everything as it was on no."""
    if isinstance(action, StopConfirm):
        try:
            await services(context).subscriptions.unsubscribe(recipient_of(update, context))
        except LookupError:
            return Answer(_("Please send /start first to subscribe."), alert=True)
        text = _("You will receive no more announcements. Send /start to subscribe again.")
    else:
        text = _("Good, you stay subscribed.")
    await edit(update, context, text)
    return None


def register(application: TelegramApp) -> None:
    commands.declare("settings", N_("Change language, village or topics"), order=20)
    commands.declare("stop", N_("Stop receiving announcements"), order=90)
    menu.add(menu.MenuItem("settings", N_("⚙️ Settings"), show_settings, order=80))
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("settings", show_settings, private))
    application.add_handler(CommandHandler("stop", ask_stop, private))
    router.route(application, SettingsMenu, on_button)
    router.route(application, SettingsLanguage, on_button)
    router.route(application, SettingsVillage, on_button)
    router.route(application, SettingsTopic, on_button)
    router.route(application, SettingsDone, on_button)
    router.route(application, Resubscribe, on_button)
    router.route(application, StopAsk, on_stop_asked)
    router.route(application, StopConfirm, on_stop_answer)
    router.route(application, StopKeep, on_stop_answer)
