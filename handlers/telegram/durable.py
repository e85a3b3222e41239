"""Replies that must reach the person (a case's code): sent now, or queued in the outbox.

When Telegram fails a reply with something worth retrying (a 5xx, a
timeout, a lost connection, the bot's token refused for now), the same text
and inline buttons become an outbox row, which the sender delivers with its
retries. Once one reply was queued the next ones are too, so they arrive in
order.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.messaging.actions import InvalidAction, parse_action
from bot.messaging.messages import Button, OutgoingMessage
from bot.messaging.notify import Verdict
from handlers.telegram.channel import classify
from handlers.telegram.common import Context, message_of, recipient_of, services
from handlers.telegram.replies import reply

log = logging.getLogger(__name__)


class DurableReplies:
    """Replies, in order, to the person behind one update."""

    def __init__(self, update: Update, context: Context) -> None:
        self._message = message_of(update)
        self._to = recipient_of(update, context)
        self._notifier = services(context).notifier
        self.queued = False

    async def send(
        self, text: str, markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
    ) -> None:
        """Reply now; on a failure worth retrying, through the outbox instead."""
        if not self.queued:
            try:
                await reply(self._message, text, markup)
                return
            except TelegramError as exc:
                error = classify(exc)
                if error.verdict is Verdict.FAILED:
                    raise  # a malformed reply: a bug to see, not to retry
                log.warning("reply failed (%s): sending it through the outbox", error)
                self.queued = True
        await self._notifier.notify(self._to, OutgoingMessage(text, buttons=_buttons(markup)))


def _buttons(
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None,
) -> tuple[tuple[Button, ...], ...]:
    """Inline buttons as the domain's; a reply keyboard stays where it was (the menu)."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return ()
    rows = (tuple(filter(None, map(_button, row))) for row in markup.inline_keyboard)
    return tuple(row for row in rows if row)


def _button(button: InlineKeyboardButton) -> Button | None:
    """A link, or the typed action the button's data packs (None if it packs none)."""
    if button.url:
        return Button(button.text, url=button.url)
    data = button.callback_data
    try:
        return Button(button.text, parse_action(data)) if isinstance(data, str) else None
    except InvalidAction:
        return None
