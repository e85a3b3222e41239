"""Pure keyboard builders: buttons carry typed actions, labels are translated."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.core.config import Topic, Village
from bot.core.i18n import LANGUAGE_NAMES, _
from bot.messaging.actions import Action

Choose = Callable[[str], Action]  # an id chosen -> the action its button carries


def button(label: str, action: Action) -> InlineKeyboardButton:
    """An inline button that carries `action`, packed (the router parses it back)."""
    return InlineKeyboardButton(label, callback_data=action.pack())


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def language_keyboard(choose: Choose) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(n, choose(c))] for c, n in LANGUAGE_NAMES.items()])


def village_keyboard(
    villages: Iterable[Village], selected: str | None, choose: Choose
) -> InlineKeyboardMarkup:
    buttons = [button(("✅ " if v.id == selected else "") + v.name, choose(v.id)) for v in villages]
    return InlineKeyboardMarkup(rows(buttons, 2))


def topics_keyboard(
    topics: Iterable[Topic], selected: frozenset[str], language: str, toggle: Choose, done: Action
) -> InlineKeyboardMarkup:
    buttons = [
        button(("✅ " if t.id in selected else "▫️ ") + t.name(language), toggle(t.id))
        for t in topics
    ]
    return InlineKeyboardMarkup([*rows(buttons, 1), [button(_("Done"), done)]])


def confirm_keyboard(yes: tuple[str, Action], no: tuple[str, Action]) -> InlineKeyboardMarkup:
    """Two buttons side by side: (label, action) for yes and for no."""
    return InlineKeyboardMarkup([[button(*yes), button(*no)]])


def menu_keyboard(labels: Sequence[str]) -> ReplyKeyboardMarkup:
    """The persistent main menu under the text box, two actions a row."""
    buttons = [KeyboardButton(label) for label in labels]
    return ReplyKeyboardMarkup(
        [buttons[i : i + 2] for i in range(0, len(buttons), 2)],
        resize_keyboard=True,
        is_persistent=True,
    )
