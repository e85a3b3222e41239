"""A reception booking as a plain value, and the errors the booking rules give."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.i18n import N_
from bot.messaging.channels import Recipient

CODE_PREFIX = "TD"
_CODE = re.compile(r"TD-?(\d{1,9})", re.IGNORECASE)


class State(StrEnum):
    WAITING = "waiting"  # on the day's waiting list, no seat yet
    BOOKED = "booked"
    RECEIVED = "received"
    NO_SHOW = "no_show"
    MOVED = "moved"  # to another day (moved_to), or by the officer: choose again
    CANCELLED = "cancelled"

    @property
    def open(self) -> bool:
        return self in (State.WAITING, State.BOOKED)


# Kept for counting and for the Sổ tiếp công dân: a citizen met, or expected and not come.
MARKED = (State.RECEIVED, State.NO_SHOW)


@dataclass(frozen=True)
class Booking:
    id: int
    day: date
    slot: int | None
    seat: int | None
    state: State
    walk_in: bool
    citizen: Recipient | None
    language: str
    name: str | None
    phone: str | None
    address: str
    subject: str
    case_id: int | None
    outcome: str
    outcome_case_id: int | None
    reminded_day: bool
    reminded_hour: bool

    @property
    def code(self) -> str:
        return booking_code(self.id)

    @classmethod
    def from_row(cls, r: sqlite3.Row) -> Booking:
        who = Recipient(r["channel"], r["external_id"]) if r["channel"] else None
        return cls(
            id=r["id"],
            day=date.fromisoformat(r["day"]),
            slot=r["slot"],
            seat=r["seat"],
            state=State(r["state"]),
            walk_in=bool(r["walk_in"]),
            citizen=who,
            language=r["language"],
            name=r["name"],
            phone=r["phone"],
            address=r["address"],
            subject=r["subject"],
            case_id=r["case_id"],
            outcome=r["outcome"],
            outcome_case_id=r["outcome_case_id"],
            reminded_day=bool(r["reminded_day"]),
            reminded_hour=bool(r["reminded_hour"]),
        )


def booking_code(booking_id: int) -> str:
    return f"{CODE_PREFIX}-{booking_id:04d}"


def parse_code(text: str) -> int | None:
    """The booking id in a code such as "TD-0042" (or "td42"); None if it is not one."""
    match = _CODE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class NewBooking:
    """What a citizen gave: the day, a slot (None: the waiting list), subject and contact."""

    day: date
    slot: int | None
    subject: str
    name: str | None
    phone: str | None
    address: str = ""
    case_id: int | None = None
    language: str = "vi"


class ReceptionError(Exception):
    """A refusal the citizen or officer is told, as an English message id."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class SlotFull(ReceptionError):
    def __init__(self) -> None:
        super().__init__(N_("That time is full now. Please choose another one."))


class TooManyOpen(ReceptionError):
    def __init__(self) -> None:
        super().__init__(
            N_("You already have an open booking. Cancel or move it with /reception first.")
        )


NOT_FOUND = N_("That booking is no longer open.")
NOT_A_DAY = N_("That day is not a reception day.")
