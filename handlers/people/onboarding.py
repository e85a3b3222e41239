"""`/start`: subscribe a citizen, then ask language, village and topics."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import LANGUAGE_NAMES, N_, _, set_language
from bot.people.actions import OnboardDone, OnboardLanguage, OnboardTopic, OnboardVillage
from bot.people.subscriptions import UnknownChoice
from handlers.people.subscription_views import (
    ONBOARDING,
    greeting,
    language_step,
    summary,
    topics_step,
    village_step,
)
from handlers.telegram import commands, menu, router, words
from handlers.telegram.common import (
    Context,
    TelegramApp,
    channel_of,
    message_of,
    recipient_of,
    services,
    user_of,
)
from handlers.telegram.replies import edit
from handlers.telegram.router import Answer


async def start(update: Update, context: Context) -> None:
    """Subscribe the sender, or welcome them back, and show the first step."""
    svc = services(context)
    user = user_of(update)
    payload = context.args[0] if context.args else None
    result = await svc.subscriptions.start(
        recipient_of(update, context), user.full_name, user.language_code, payload
    )
    set_language(result.citizen.language)
    if result.citizen.onboarded:
        lead = (
            _("Welcome back! You will receive announcements again.")
            if result.resubscribed
            else _("You are already subscribed.")
        )
        hint = _("Use /settings to change them.")
        text = f"{lead}\n\n{summary(svc.settings, result.citizen)}\n\n{hint}"
        await message_of(update).reply_text(text, reply_markup=menu.keyboard())
        return
    await message_of(update).reply_text(
        greeting(svc.settings), reply_markup=language_step(ONBOARDING)[1]
    )


Choice = OnboardLanguage | OnboardVillage | OnboardTopic | OnboardDone


async def on_step(update: Update, context: Context, action: Choice) -> Answer | None:
    """Save the choice on the pressed button and show the next step."""
    svc = services(context)
    who = recipient_of(update, context)
    try:
        match action:
            case OnboardLanguage(language=code):
                citizen = await svc.subscriptions.choose_language(who, code)
                set_language(citizen.language)
                # The greeting stays (with the choice shown); the next question comes below it.
                if channel_of(context.application).can_edit:  # elsewhere it would come again
                    chosen = f"{greeting(svc.settings)}\n✅ {LANGUAGE_NAMES[citizen.language]}"
                    await edit(update, context, chosen)
                step = village_step if citizen.village_id is None else topics_step
                text, markup = step(svc.settings, citizen, ONBOARDING)
                await message_of(update).reply_text(text, reply_markup=markup)
            case OnboardVillage(village_id=village):
                citizen = await svc.subscriptions.choose_village(who, village)
                await edit(update, context, *topics_step(svc.settings, citizen, ONBOARDING))
            case OnboardTopic(topic_id=topic):
                citizen = await svc.subscriptions.toggle_topic(who, topic)
                await edit(update, context, *topics_step(svc.settings, citizen, ONBOARDING))
            case OnboardDone():
                await finish(update, context)
    except (UnknownChoice, LookupError):
        return Answer(_("This choice is out of date. Please send /start again."), alert=True)
    return None


async def finish(update: Update, context: Context) -> None:
    """Confirm what was saved and give the citizen the main menu."""
    svc = services(context)
    citizen = await svc.subscriptions.finish_onboarding(recipient_of(update, context))
    await edit(update, context, _("Saved. Your settings:") + "\n" + summary(svc.settings, citizen))
    if channel_of(context.application).slash_commands:
        text = _(
            "You are subscribed. Use the menu below, /settings to change your choices, or /help."
        )
    else:  # no menu under the text box, no slashes: the words that stand for them
        text = _(
            "You are subscribed. Send “{settings}” to change your choices, or “{help}”."
        ).format(settings=words.word_for("settings"), help=words.word_for("help"))
    await message_of(update).reply_text(text, reply_markup=menu.keyboard())


def register(application: TelegramApp) -> None:
    commands.declare("start", N_("Subscribe and choose your village and topics"), order=10)
    application.add_handler(CommandHandler("start", start, filters.ChatType.PRIVATE))
    router.route(application, OnboardLanguage, on_step)
    router.route(application, OnboardVillage, on_step)
    router.route(application, OnboardTopic, on_step)
    router.route(application, OnboardDone, on_step)
