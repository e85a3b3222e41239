"""Route a message to the flow its sender is in, from the conversation store."""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters

from bot.services import Services
from handlers.telegram import menu
from handlers.telegram.common import SERVICES_KEY, TelegramApp, recipient_in


class InFlow(filters.UpdateFilter):
    """Matches a private message from someone whose open conversation is `flow`.

    Menu buttons and commands are left to their own handlers, so /help or
    the menu still work in the middle of a form; so are forwarded messages,
    unless the flow takes them (an officer may forward what they want to post).
    The store keeps who is in which flow in memory: no query per update.
    """

    def __init__(self, application: TelegramApp, flow: str, *, forwards: bool = False) -> None:
        super().__init__(name=f"InFlow({flow})")
        self._application = application
        self._flow = flow
        self._forwards = forwards

    def filter(self, update: Update) -> bool:
        user, message = update.effective_user, update.message
        if user is None or message is None or SERVICES_KEY not in self._application.bot_data:
            return False
        if message.text and (message.text.startswith("/") or menu.item_for_text(message.text)):
            return False
        if message.forward_origin is not None and not self._forwards:
            return False  # the fallback explains these are not acted on
        services: Services = self._application.bot_data[SERVICES_KEY]
        who = recipient_in(self._application, update)
        return services.conversations.flow_of(who) == self._flow
