"""A FAQ service over a real database file, with the shipped content and a recording notifier."""

from collections.abc import AsyncIterator

import pytest

from bot.channels import Recipient
from bot.clock import ManualClock
from bot.config import Settings
from bot.db import Database
from bot.faq.service import FaqService
from bot.messages import OutgoingMessage
from bot.officers import OfficerRepository


class RecordingNotifier:
    def __init__(self) -> None:
        self.sent: list[tuple[Recipient, OutgoingMessage]] = []

    async def notify(self, recipient: Recipient, message: OutgoingMessage) -> None:
        self.sent.append((recipient, message))


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
async def faq(
    db: Database, clock: ManualClock, settings: Settings, notifier: RecordingNotifier
) -> AsyncIterator[FaqService]:
    yield await FaqService.open(db, clock, settings, OfficerRepository(db, clock), notifier)
