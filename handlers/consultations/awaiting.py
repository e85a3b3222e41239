"""Which citizen's or officer's next message belongs to a consultation step.

Kept in memory, as `/post`'s awaited input is: a restart only loses the
prompt, and the person presses the button again.
"""

from __future__ import annotations

from telegram import Message
from telegram.ext import filters

from handlers.telegram.common import Context

KEY = "consultations.awaiting"


class Awaiting(filters.MessageFilter):
    """user id -> (step, id): a comment on consultation id, a household, a compose step."""

    def __init__(self) -> None:
        super().__init__(name="ConsultAwaiting")
        self.steps: dict[int, tuple[str, int]] = {}

    def filter(self, message: Message) -> bool:
        return message.from_user is not None and message.from_user.id in self.steps


def awaiting(context: Context) -> Awaiting:
    found: Awaiting = context.bot_data[KEY]
    return found
