"""A FAQ service over a real database file, with the shipped content and a recording desk."""

from collections.abc import AsyncIterator
from datetime import date

import pytest

from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.faq.desk import DeskRefused, Receipt
from bot.faq.service import FaqService
from bot.messaging.channels import Recipient


class RecordingDesk:
    """A question desk that keeps what it was given, or refuses with `refusal`."""

    answer_within_days = 10

    def __init__(self) -> None:
        self.submitted: list[tuple[Recipient, str, str]] = []
        self.refusal: str | None = None

    async def submit(self, asker: Recipient, text: str, *, language: str) -> Receipt:
        if self.refusal is not None:
            raise DeskRefused(self.refusal)
        self.submitted.append((asker, text, language))
        return Receipt(f"Q-{len(self.submitted)}", date(2026, 3, 16))


@pytest.fixture
def desk() -> RecordingDesk:
    return RecordingDesk()


@pytest.fixture
async def faq(
    db: Database, clock: ManualClock, settings: Settings, desk: RecordingDesk
) -> AsyncIterator[FaqService]:
    yield await FaqService.open(db, clock, settings, desk)
