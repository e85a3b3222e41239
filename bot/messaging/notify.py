"""How the domain sends messages on its own initiative, whatever the channel."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from enum import StrEnum
from typing import Protocol

from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.messaging.delivery_policy import DeliveryPolicy
from bot.messaging.files import FileStore
from bot.messaging.messages import OutgoingMessage


class Verdict(StrEnum):
    """What a channel's one error classifier makes of a refusal.

    The sender turns it into the row's fate (bot/messaging/delivery.py):
    - RETRY: try again later (network errors, timeouts, 5xx, 409; a 429
      with `retry_after` pauses the whole sender that long first);
    - REFUSED: the chat refuses or does not exist (403, 400 "chat not
      found"): a citizen is marked blocked; an officer or a group waits on a
      bounded schedule, and is woken when they write to the bot;
    - DOWN: the channel itself is unusable (401 bad or revoked token, 404
      wrong API root): the sender pauses that channel, tells the officers,
      and tries again periodically;
    - FAILED: trying again cannot help (a malformed message, another 4xx);
    - OUTSIDE_WINDOW: the platform refuses because the person has not
      written within its messaging window (Zalo OA's -230, 7 days): the row
      ends `outside`, as one the outbox held back itself, never retried as a
      failure; a notification then waits for the person's next message.
    """

    RETRY = "retry"
    REFUSED = "refused"
    DOWN = "down"
    FAILED = "failed"
    OUTSIDE_WINDOW = "outside_window"


class DeliveryError(Exception):
    """The channel refused the message; `verdict` says what the sender should do."""

    def __init__(
        self,
        reason: str,
        verdict: Verdict = Verdict.RETRY,
        *,
        retry_after: float | None = None,
    ):
        super().__init__(reason)
        self.verdict = verdict
        self.retry_after = retry_after


class Channel(Protocol):
    """Sends one message to one person now; raises DeliveryError when it cannot."""

    name: str

    async def send(self, recipient: Recipient, message: OutgoingMessage) -> str:
        """Deliver and return the channel's id for the sent message."""
        ...


# How a composition root hands the sender its channels, opened for as long as
# the context lasts (the command line's broadcast sends through it).
OpenChannels = Callable[
    [Settings, DeliveryPolicy, FileStore], AbstractAsyncContextManager[Mapping[str, Channel]]
]


class Notifier(Protocol):
    """What domain services call to reach a person (case updates, reminders).

    The outbox implements it durably: the message is stored first, then
    delivered under the platform's rate limits, and retried after a crash.
    """

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None: ...
