"""How the domain sends messages on its own initiative, whatever the channel."""

from __future__ import annotations

from typing import Protocol

from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage


class DeliveryError(Exception):
    """The channel refused the message; `blocked` when the person blocked the bot.

    `retry_after`: the platform asks to wait that many seconds and try again;
    `permanent`: trying again cannot help (a malformed message, 4xx), as
    opposed to network errors and 5xx, which are worth retrying.
    """

    def __init__(
        self,
        reason: str,
        *,
        blocked: bool = False,
        retry_after: float | None = None,
        permanent: bool = False,
    ):
        super().__init__(reason)
        self.blocked = blocked
        self.retry_after = retry_after
        self.permanent = permanent


class Channel(Protocol):
    """Sends one message to one person now; raises DeliveryError when it cannot."""

    name: str

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        """Deliver and return the channel's id for the sent message."""
        ...


class Notifier(Protocol):
    """What domain services call to reach a person (case updates, reminders).

    The outbox implements it durably: the message is stored first, then
    delivered under the platform's rate limits, and retried after a crash.
    """

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None: ...
