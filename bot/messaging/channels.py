"""Who a message goes to: a channel and that channel's id for the person."""

from __future__ import annotations

from dataclasses import dataclass

TELEGRAM = "telegram"
ZALO = "zalo"


@dataclass(frozen=True)
class Recipient:
    """A person on one channel; Telegram ids are numbers, Zalo's are strings."""

    channel: str
    external_id: str

    @classmethod
    def telegram(cls, user_id: int) -> Recipient:
        return cls(TELEGRAM, str(user_id))
