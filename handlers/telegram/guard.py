"""Officer-only handlers: the role is checked on the server at every use."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update

from bot.core.i18n import N_, _
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from handlers.telegram.common import Context, recipient_of, services

OfficerCallback = Callable[[Update, Context, Officer], Awaitable[None]]
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
REFUSAL = N_("Sorry, this is only for commune officers with the right role. Nothing was done.")


def officer_only(action: str, *roles: Role) -> Callable[[OfficerCallback], Callback]:
    """Run the handler only for an active officer holding one of `roles`.

    Everyone else gets a polite refusal, and the attempt lands in the audit
    log; a pressed button is answered so the app stops its spinner.
    """
    allowed = frozenset(roles or Role)

    def decorate(callback: OfficerCallback) -> Callback:
        @functools.wraps(callback)
        async def wrapper(update: Update, context: Context) -> None:
            try:
                officer = await services(context).access.authorize(
                    recipient_of(update, context), action, allowed
                )
            except PermissionDenied:
                await refuse(update)
                return
            await callback(update, context, officer)

        return wrapper

    return decorate


async def refuse(update: Update) -> None:
    text = _(REFUSAL)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
