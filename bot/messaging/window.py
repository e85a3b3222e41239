"""A channel's messaging window: whether the bot may still write to a person on its own.

A Zalo Official Account sends consultation messages free for 48 hours after
the citizen's last message or button press, charges them up to 7 days, and
refuses them after (-230). The outbox checks the rule before each send
(`Outbox.claim`): a broadcast's row outside the window ends `outside`, never
retried; a notification waits, and goes when the person next writes
(`Outbox.wake`), after a line saying how many answers waited.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.config import Settings
from bot.core.i18n import _, format_number, ngettext
from bot.messaging.messages import OutgoingMessage


def outside(last_heard: float | None, now: float, window: timedelta | None) -> bool:
    """Whether a message now (Unix time) falls outside `window` after the person's
    last interaction; None: the channel has no window. Someone never heard from
    is outside: the platform would refuse, or charge, a message nobody asked for."""
    if window is None:
        return False
    if last_heard is None:
        return True
    return now - last_heard > window.total_seconds()


def window_name(settings: Settings) -> str:
    """The Zalo window the counts speak of: the free 48 hours, or the 7 days Zalo allows."""
    window = settings.zalo_oa_send_window
    if window is not None and window <= timedelta(hours=48):
        return _("48-hour")
    return _("7-day")  # `never` too: what is refused then is Zalo's own 7-day refusal


def outside_line(count: str, settings: Settings) -> str:
    """The count (formatted) of messages held back by the window, for progress and figures."""
    return _("Outside Zalo's {window} window: {count}").format(
        window=window_name(settings), count=count
    )


def reach_lines(line: str, outside: int, settings: Settings) -> str:
    """A preview's reach `line`, and when some of the audience are outside Zalo's
    window, a line saying how many will not be sent to (the reach excludes them)."""
    if not outside:
        return line
    held = _("And {count} more outside Zalo's {window} window: not sent to.").format(
        count=format_number(outside), window=window_name(settings)
    )
    return f"{line}\n{held}"


def waiting_notice(count: int, *, officer: bool = False) -> OutgoingMessage:
    """What precedes the messages that waited for the person to write again: a
    citizen's are answers about their cases, an officer's cases and reminders."""
    if officer:
        text = ngettext(
            "You have {count} message waiting:", "You have {count} messages waiting:", count
        )
    else:
        text = ngettext(
            "You have {count} answer waiting:", "You have {count} answers waiting:", count
        )
    return OutgoingMessage(text.format(count=count))
