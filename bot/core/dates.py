"""The one way chat texts show a date or a moment: "16:00, thứ Hai 30/11/2026".

Every reply, notice, card and timeline goes through these helpers, so an officer
reads the same style in /duties, a case's timeline and a broadcast's schedule.
Weekdays come from the catalogs because Vietnamese writes "thứ Hai" in a
sentence where CLDR gives "Thứ Hai", and "Chủ nhật" rather than "Chủ Nhật".
The formal .docx reports keep the administrative form ("ngày 30 tháng 11 năm
2026", `bot.reports.docx_report`): that is the style of a Decree 30 document.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from bot.core.i18n import N_, _

# Monday first, as `date.weekday()` counts.
_WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def weekday(day: date) -> str:
    """The day's name in the current language, as written mid-sentence ("thứ Hai")."""
    return _(_WEEKDAYS[day.weekday()])


def short_date(day: date) -> str:
    """A bare date, "30/11/2026", where the weekday would only crowd a list."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def long_date(day: date) -> str:
    """A date with its weekday: "thứ Hai 30/11/2026"."""
    return f"{weekday(day)} {short_date(day)}"


def clock(moment: datetime, tz: tzinfo) -> str:
    """The time of day in the commune's zone: "16:00"."""
    local = moment.astimezone(tz)
    return f"{local.hour:02d}:{local.minute:02d}"


def moment_text(moment: datetime, tz: tzinfo) -> str:
    """A moment with its weekday: "16:00, thứ Hai 30/11/2026"."""
    local = moment.astimezone(tz)
    return f"{clock(local, tz)}, {long_date(local.date())}"


def capitalized(text: str) -> str:
    """A text that opens with a date, as a label or a sentence starts: "Thứ Năm 05/03/2026 …"."""
    return text[:1].upper() + text[1:]
