"""The one handler of every button press: parse once, call the feature, always answer.

```mermaid
flowchart LR
  press[button pressed] --> parse{parse_action}
  parse -- InvalidAction --> polite[/"no longer valid"/]
  parse -- action --> route{routed?}
  route -- no --> polite
  route -- yes --> feature[feature handler]
  feature -- Answer or None --> answer([answerCallbackQuery])
  feature -- PermissionDenied / CaseError --> mapped[/the refusal, or the case's reason/]
  polite --> answer
  mapped --> answer
  feature -- anything else --> errors([errors.on_error answers with an apology])
```

Features add their actions in their `register(application)` with `route`;
their handlers return what the press is answered with and never answer it
themselves, so every press is answered exactly once: the app's spinner
always stops, also for forged, malformed or stale data.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.cases.core import CaseError
from bot.core.i18n import N_, _
from bot.messaging.actions import Action, InvalidAction, parse_action
from bot.people.access import PermissionDenied
from handlers.telegram.common import Context, TelegramApp, query_of
from handlers.telegram.guard import REFUSAL

log = logging.getLogger(__name__)
ROUTES_KEY = "router.routes"
NO_LONGER_VALID = N_(
    "This button is no longer valid. Please use the latest message, or send the command again."
)


@dataclass(frozen=True)
class Answer:
    """What a press is answered with: a short notice, or an alert to dismiss (`alert`)."""

    text: str | None = None
    alert: bool = False


A = TypeVar("A", bound=Action)
Press = Callable[[Update, Context, A], Awaitable[Answer | None]]


def route(application: TelegramApp, action: type[A], handler: Press[A]) -> None:
    """Send presses of `action` (and of its subclasses not routed apart) to `handler`."""
    routes = _routes(application)
    if action in routes:
        raise ValueError(f"{action.__name__} is routed twice")
    routes[action] = handler


async def on_press(update: Update, context: Context) -> None:
    """Answer the press with what its feature says, or politely when nobody can act on it."""
    query = query_of(update)
    answer = await _dispatch(update, context, query.data or "")
    try:
        await query.answer(answer.text, show_alert=answer.alert)
    except BadRequest as exc:
        # Pressed while the bot was down: the app stopped waiting long ago.
        if "query is too old" not in exc.message.lower():
            raise
        log.info("a button press was answered too late: %s", exc.message)


async def _dispatch(update: Update, context: Context, data: str) -> Answer:
    try:
        action = parse_action(data)
    except InvalidAction as exc:
        # Forged, or a button of an older version: not an error of ours.
        log.info("refused a button press (%s): %r", exc, data[:64])
        return Answer(_(NO_LONGER_VALID), alert=True)
    handler = _handler_for(context, action)
    if handler is None:
        log.info("no handler for %s", type(action).__name__)
        return Answer(_(NO_LONGER_VALID), alert=True)
    try:
        return await handler(update, context, action) or Answer()
    except PermissionDenied:
        return Answer(_(REFUSAL), alert=True)
    except CaseError as exc:
        return Answer(_(exc.text), alert=True)


def _handler_for(context: Context, action: Action) -> Press[Any] | None:
    routes = _routes(context.application)
    return next((routes[k] for k in type(action).__mro__ if k in routes), None)


def _routes(application: Any) -> dict[type[Action], Press[Any]]:
    routes: dict[type[Action], Press[Any]] = application.bot_data.setdefault(ROUTES_KEY, {})
    return routes


def register(application: TelegramApp) -> None:
    application.add_handler(CallbackQueryHandler(on_press))
