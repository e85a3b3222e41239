"""Texts and keyboards of the subscription steps, shared by /start and /settings."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.consultations.actions import ConsultSettings
from bot.core.config import Settings
from bot.core.i18n import LANGUAGE_NAMES, _
from bot.messaging.actions import Action
from bot.people.actions import (
    OnboardDone,
    OnboardLanguage,
    OnboardTopic,
    OnboardVillage,
    Picker,
    Resubscribe,
    SettingsDone,
    SettingsLanguage,
    SettingsMenu,
    SettingsTopic,
    SettingsVillage,
    StopAsk,
)
from bot.people.citizens import Citizen
from handlers.telegram.keyboards import (
    Choose,
    button,
    language_keyboard,
    topics_keyboard,
    village_keyboard,
)

Step = tuple[str, InlineKeyboardMarkup]


@dataclass(frozen=True)
class Flow:
    """The actions the pickers' buttons carry in one flow: /start's or /settings'."""

    language: Choose
    village: Choose
    topic: Choose
    done: Action


ONBOARDING = Flow(OnboardLanguage, OnboardVillage, OnboardTopic, OnboardDone())
SETTINGS = Flow(SettingsLanguage, SettingsVillage, SettingsTopic, SettingsDone())


def greeting(settings: Settings) -> str:
    return _(
        "Hello! This is the channel of the People's Committee of {commune} commune. "
        "Here you can read news from the commune, ask questions and send feedback "
        "to the officers.\n\nPlease choose your language:"
    ).format(commune=settings.commune_name)


def language_step(flow: Flow) -> Step:
    return _("Please choose your language:"), language_keyboard(flow.language)


def village_step(settings: Settings, citizen: Citizen, flow: Flow) -> Step:
    text = _("Which village (thôn) do you live in? News for your village will reach you.")
    return text, village_keyboard(settings.villages, citizen.village_id, flow.village)


def topics_step(settings: Settings, citizen: Citizen, flow: Flow) -> Step:
    text = _(
        "Which topics would you like to follow? Choose a topic to select or clear it, "
        "then choose Done. Announcements for everyone reach you in any case."
    )
    return text, topics_keyboard(
        settings.topics, citizen.topics, citizen.language, flow.topic, flow.done
    )


def summary(settings: Settings, citizen: Citizen) -> str:
    """What the bot holds as the citizen's choices, in plain words."""
    village = settings.village(citizen.village_id)
    topics = [t.name(citizen.language) for t in settings.topics if t.id in citizen.topics]
    lines = [
        _("Language: {language}").format(language=LANGUAGE_NAMES[citizen.language]),
        _("Village: {village}").format(village=village.name if village else _("not chosen")),
        _("Topics: {topics}").format(topics=", ".join(topics) if topics else _("none")),
        _("Announcements: {state}").format(
            state=_("subscribed") if citizen.subscribed else _("unsubscribed")
        ),
    ]
    return "\n".join(lines)


def settings_step(settings: Settings, citizen: Citizen) -> Step:
    text = (
        _("Your settings:")
        + "\n"
        + summary(settings, citizen)
        + "\n\n"
        + _("What would you like to change?")
    )
    subscription = (
        button(_("Stop announcements"), StopAsk())
        if citizen.subscribed
        else button(_("Subscribe again"), Resubscribe())
    )
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("Language"), SettingsMenu(Picker.LANGUAGE))],
            [button(_("Village"), SettingsMenu(Picker.VILLAGE))],
            [button(_("Topics"), SettingsMenu(Picker.TOPICS))],
            [button(_("🏠 Household and consultations"), ConsultSettings())],
            [subscription],
        ]
    )
    return text, keyboard
