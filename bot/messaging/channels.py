"""Who a message goes to: a channel and that channel's id for the person; what a channel can do."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from bot.core.config import Settings

TELEGRAM = "telegram"
ZALO = "zalo"


@dataclass(frozen=True)
class Recipient:
    """A person on one channel; Telegram ids are numbers, Zalo's are strings."""

    channel: str
    external_id: str

    @classmethod
    def telegram(cls, user_id: int) -> Recipient:
        """A Telegram user, for tests and the command line: a handler takes the
        channel from the application that received the update (`recipient_of`)."""
        return cls(TELEGRAM, str(user_id))


@dataclass(frozen=True)
class ChannelSpec:
    """What a channel can do; the handlers read it instead of assuming Telegram.

    `can_edit`: a message already sent can be changed (else a flow sends a
    new one); `inline_buttons`: choices can be buttons under a message;
    `text_limit`: the longest text one message may hold; `formatting`: bold,
    italics and links show as such (else texts go out plain); `slash_commands`:
    people type /commands (else plain words stand for them, "tra cứu PA-…");
    `window`: how long after a person's last message or button press the bot
    may still write to them on its own (None: any time). The outbox holds back
    what falls outside it (bot/messaging/window.py). `rate`: messages a second
    the outbox sender allows itself on this channel (None: the sender's own
    pace, `[broadcast] rate`, set for Telegram); the sender claims such a
    channel's rows only as fast as it may send them (bot/messaging/delivery.py).
    `documents`: a file the bot holds (a report's .docx) can be sent (else a
    flow says where it can be had). `attachments`: what a person can send
    besides text (`PHOTO`, `DOCUMENT`, `VOICE`, `LOCATION`), so a form asks
    only for what the channel can carry.
    """

    name: str
    can_edit: bool
    inline_buttons: bool
    text_limit: int
    formatting: bool = True
    slash_commands: bool = True
    window: timedelta | None = None
    rate: float | None = None
    documents: bool = True
    attachments: frozenset[str] = frozenset({"photo", "document", "voice", "location"})

    @property
    def photos_only(self) -> bool:
        """A person can attach photos and nothing else (Zalo Bot)."""
        return self.attachments == {"photo"}


TELEGRAM_SPEC = ChannelSpec(TELEGRAM, can_edit=True, inline_buttons=True, text_limit=4096)
# Zalo's Bot API looks like Telegram's but has neither buttons nor edits.
# Zalo publishes no rate for bots: 5 messages a second stays well under
# anything it could mean. It sends photos by public URL only, and no files.
ZALO_BOT_SPEC = ChannelSpec(
    "zalo_bot",
    can_edit=False,
    inline_buttons=False,
    text_limit=2000,
    formatting=False,
    slash_commands=False,
    rate=5.0,
    documents=False,
    attachments=frozenset({"photo"}),  # its updates carry text, images and stickers only
)
# An Official Account's template messages carry buttons; a sent message cannot change.
# Its consultation messages are free for 48 hours after the citizen's last
# interaction, charged up to 7 days, refused after: the window is the
# commune's choice (ZALO_OA_SEND_WINDOW), see `channel_specs`.
ZALO_OA_SPEC = ChannelSpec(
    "zalo_oa",
    can_edit=False,
    inline_buttons=True,
    text_limit=2000,
    formatting=False,
    slash_commands=False,
    window=timedelta(hours=48),
)


def zalo_oa_spec(settings: Settings) -> ChannelSpec:
    """The Official Account with the window the commune chose (ZALO_OA_SEND_WINDOW)."""
    return replace(ZALO_OA_SPEC, window=settings.zalo_oa_send_window)


def channel_specs(settings: Settings) -> tuple[ChannelSpec, ...]:
    """Every channel as this commune's settings make it: the OA's window is a setting."""
    return (TELEGRAM_SPEC, ZALO_BOT_SPEC, zalo_oa_spec(settings))


def windows_of(specs: tuple[ChannelSpec, ...]) -> dict[str, timedelta]:
    """The channels that have a window, with it: what the outbox checks before sending."""
    return {spec.name: spec.window for spec in specs if spec.window is not None}


def rates_of(specs: tuple[ChannelSpec, ...]) -> dict[str, float]:
    """The channels with a pace of their own, with it: what the outbox sender keeps to."""
    return {spec.name: spec.rate for spec in specs if spec.rate is not None}
