"""The buttons of subscribing (/start), /settings and /stop."""

from __future__ import annotations

from enum import StrEnum

from bot.messaging.actions import Action


class Picker(StrEnum):
    """What /settings opens for a change."""

    LANGUAGE = "lang"
    VILLAGE = "vil"
    TOPICS = "top"


# /start: language, village, topics, done.
class OnboardLanguage(Action, prefix="onb:lang"):
    language: str


class OnboardVillage(Action, prefix="onb:vil"):
    village_id: str


class OnboardTopic(Action, prefix="onb:top"):
    topic_id: str


class OnboardDone(Action, prefix="onb:done"):
    pass


# /settings: the same choices, one at a time.
class SettingsMenu(Action, prefix="set:menu"):
    picker: Picker


class SettingsLanguage(Action, prefix="set:lang"):
    language: str


class SettingsVillage(Action, prefix="set:vil"):
    village_id: str


class SettingsTopic(Action, prefix="set:top"):
    topic_id: str


class SettingsDone(Action, prefix="set:done"):
    pass


class Resubscribe(Action, prefix="set:resubscribe"):
    pass


# /stop, asked from /settings or typed, then confirmed.
class StopAsk(Action, prefix="stop:ask"):
    pass


class StopConfirm(Action, prefix="stop:yes"):
    pass


class StopKeep(Action, prefix="stop:no"):
    pass
