"""Handing a question the FAQ cannot answer to the officers: the desk the FAQ is given.

The FAQ knows only this protocol. Which desk it gets (in the bot, the cases
feature's, which opens a question case) is decided where the services are
composed, in `bot/services.py`, so the FAQ never imports another feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from bot.messaging.channels import Recipient


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told: the tracking code and the day officers answer by."""

    code: str
    due: date


class DeskRefused(Exception):
    """The desk will not take the question now (e.g. the daily limit).

    `reason` is a message id (marked with `N_`) that the channel translates
    and shows to the citizen: a refusal is an answer, not an error.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class QuestionDesk(Protocol):
    """Where questions the FAQ cannot answer go."""

    @property
    def answer_within_days(self) -> int:
        """Working days the officers take to answer, as promised to the citizen."""
        ...

    async def submit(self, asker: Recipient, text: str, *, language: str) -> Receipt:
        """Hand the question on (DeskRefused if it cannot be taken now)."""
        ...
