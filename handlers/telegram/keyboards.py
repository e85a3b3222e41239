"""Pure keyboard builders: callback data is stable, labels are translated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.core.config import Topic, Village
from bot.core.i18n import LANGUAGE_NAMES, _


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def language_keyboard(prefix: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(n, callback_data=f"{prefix}:lang:{c}")]
            for c, n in LANGUAGE_NAMES.items()
        ]
    )


def village_keyboard(
    villages: Iterable[Village], selected: str | None, prefix: str
) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✅ " if v.id == selected else "") + v.name, callback_data=f"{prefix}:vil:{v.id}"
        )
        for v in villages
    ]
    return InlineKeyboardMarkup(rows(buttons, 2))


def topics_keyboard(
    topics: Iterable[Topic], selected: frozenset[str], language: str, prefix: str
) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            ("✅ " if t.id in selected else "▫️ ") + t.name(language),
            callback_data=f"{prefix}:top:{t.id}",
        )
        for t in topics
    ]
    done = InlineKeyboardButton(_("Done"), callback_data=f"{prefix}:done")
    return InlineKeyboardMarkup([*rows(buttons, 1), [done]])


def confirm_keyboard(yes: tuple[str, str], no: tuple[str, str]) -> InlineKeyboardMarkup:
    """Two buttons side by side: (label, callback data) for yes and for no."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes[0], callback_data=yes[1]),
                InlineKeyboardButton(no[0], callback_data=no[1]),
            ]
        ]
    )


def menu_keyboard(labels: Sequence[str]) -> ReplyKeyboardMarkup:
    """The persistent main menu under the text box, two actions a row."""
    buttons = [KeyboardButton(label) for label in labels]
    return ReplyKeyboardMarkup(
        [buttons[i : i + 2] for i in range(0, len(buttons), 2)],
        resize_keyboard=True,
        is_persistent=True,
    )
