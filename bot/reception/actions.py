"""The buttons of reception booking: citizens book, move and cancel; officers keep the day.

A day travels as an int, YYYYMMDD (`day_number` / `day_of`), so every action
stays within the channels' button data budget.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.messaging.actions import Action


def day_number(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def day_of(number: int) -> date:
    """The date an action carries; ValueError when it is not one."""
    return date(number // 10_000, number // 100 % 100, number % 100)


# Citizens: the booking form and their booking's buttons.
class BookStart(Action, prefix="rc:new"):
    case_id: int  # 0: no case; else the case the formal-filing guidance came from


class BookDay(Action, prefix="rc:d"):
    day: int


class BookSlot(Action, prefix="rc:s"):
    day: int
    slot: int


class BookWait(Action, prefix="rc:w"):
    day: int


class BookNoCase(Action, prefix="rc:nc"):
    pass


class BookConsent(Action, prefix="rc:ok"):
    pass


class BookConfirm(Action, prefix="rc:go"):
    pass


class BookQuit(Action, prefix="rc:q"):
    pass


class BookingCancel(Action, prefix="rc:x"):
    booking_id: int


class BookingMove(Action, prefix="rc:mv"):
    booking_id: int


# Officers: the days, a day's list, a booking's card.
class Mark(StrEnum):
    RECEIVED = "r"
    NO_SHOW = "n"
    RESCHEDULED = "m"


class DayList(Action, prefix="ro:d"):
    day: int


class DayPaper(Action, prefix="ro:p"):
    day: int


class DayWalkIn(Action, prefix="ro:wi"):
    day: int


class DayCancel(Action, prefix="ro:cx"):
    day: int


class DayCancelSure(Action, prefix="ro:cy"):
    day: int


class DayAdd(Action, prefix="ro:add"):
    pass


class BookingCard(Action, prefix="ro:b"):
    booking_id: int


class BookingMark(Action, prefix="ro:m"):
    booking_id: int
    mark: Mark


class BookingOutcome(Action, prefix="ro:o"):
    booking_id: int


class OutcomeCase(Action, prefix="ro:oc"):
    """Open a case from the outcome, or (`add`) add it to the booking's linked case."""

    booking_id: int
    add: bool
