"""The last resort: log the failure, and tell the person it did not work."""

from __future__ import annotations

import logging

from telegram import Update

from bot.core.i18n import _
from handlers.telegram.common import Context

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the error first, then apologise to the person whose update failed."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    text = _("Sorry, something went wrong on our side. Please try again in a moment.")
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None and _private(update):
            await update.effective_message.reply_text(text)
    except Exception:  # the apology itself failed: the log above is what counts
        log.warning("could not tell the user about the error", exc_info=True)


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == "private"
