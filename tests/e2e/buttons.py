"""Read the actions a message's buttons carry: tests parse them, never build data by hand."""

from __future__ import annotations

from typing import TypeVar

from bot.messaging.actions import Action, InvalidAction, parse_action
from sandbox.views import ChatMessage

A = TypeVar("A", bound=Action)


def actions_in(message: ChatMessage, kind: type[A]) -> list[A]:
    """The actions of `kind` on the message's inline buttons, in order."""
    found = []
    for row in message.buttons:
        for _label, data in row:
            try:
                action = parse_action(data or "")
            except InvalidAction:
                continue  # a link button
            if isinstance(action, kind):
                found.append(action)
    return found


def has_action(message: ChatMessage, action: Action) -> bool:
    return action in actions_in(message, type(action))
