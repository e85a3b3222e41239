"""What duty reminders, escalations and digests say, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.dates import long_date, moment_text
from bot.core.i18n import N_, _, use_language
from bot.duties.actions import DutyAttach, DutyDone, DutySnooze
from bot.duties.calendar import Duty
from bot.duties.repository import Period
from bot.messaging.markup import Markup, join
from bot.messaging.messages import Button, OutgoingMessage


def due_text(moment: datetime, tz: ZoneInfo) -> str:
    """A due moment in the current language and the commune's zone."""
    return moment_text(moment, tz)


def action_buttons(period_id: int) -> tuple[tuple[Button, ...], ...]:
    """Done, Done with the file, Remind me tomorrow (`bot.duties.actions`)."""
    return (
        (Button(_("✅ Done"), DutyDone(period_id)),),
        (Button(_("📎 Done, attach the report"), DutyAttach(period_id)),),
        (Button(_("⏰ Remind me tomorrow"), DutySnooze(period_id)),),
    )


def reminder(
    duty: Duty, period: Period, language: str, tz: ZoneInfo, overdue: bool
) -> OutgoingMessage:
    """A reminder to an officer holding the duty's role, before or after the due moment."""
    with use_language(language):
        name = duty.name(language)
        when = due_text(period.due, tz)
        if not overdue:
            text = Markup(_("⏰ <b>Reminder</b>: {duty}\nDue: {when}")).format(duty=name, when=when)
        else:
            text = Markup(
                _("⚠️ <b>Overdue</b>: {duty}\nIt was due {when}. Please finish it and press Done.")
            ).format(duty=name, when=when)
        return OutgoingMessage(text, buttons=action_buttons(period.id))


def escalation(
    duty: Duty, period: Period, responsible: Sequence[str], language: str, tz: ZoneInfo
) -> OutgoingMessage:
    """Tell the chairman a duty slipped, and who holds it."""
    with use_language(language):
        who = ", ".join(responsible) or _("nobody holds this role yet")
        text = Markup(
            _("🚨 <b>Not done in time</b>: {duty}\nIt was due {when}.\nResponsible: {who}")
        ).format(duty=duty.name(language), when=due_text(period.due, tz), who=who)
        return OutgoingMessage(text)


def done_note(language: str, duty: str, officer_name: str, at: datetime, tz: ZoneInfo) -> Markup:
    with use_language(language):
        return Markup(_("✅ {duty}: done by {name} on {when}.")).format(
            duty=duty, name=officer_name, when=due_text(at, tz)
        )


@dataclass(frozen=True)
class DigestFigure:
    """A line of the weekly digest from another feature: a translatable label and a count."""

    label: str  # an English message id marked with N_() in the feature that supplies it
    value: int


def digest(
    done: Sequence[tuple[Duty, Period]],
    late: Sequence[tuple[Duty, Period]],
    figures: Sequence[DigestFigure],
    language: str,
    tz: ZoneInfo,
) -> OutgoingMessage:
    """The chairman's weekly digest: duties done and late, then other features' figures."""
    with use_language(language):
        lines: list[str] = [Markup(_("📊 <b>Weekly digest</b>"))]
        lines.append(_("Duties done this week: {count}").format(count=len(done)))
        lines += [f"• {d.name(language)}" for d, _p in done]
        lines.append(_("Duties late: {count}").format(count=len(late)))
        lines += [f"• {d.name(language)} ({due_text(p.due, tz)})" for d, p in late]
        lines += [f"{_(f.label)}: {f.value}" for f in figures]
        return OutgoingMessage(join("\n", lines))


CASE_DUE_SOON = N_("⏳ Case {reference} is due {when}: {title}")
CASE_OVERDUE = N_("🚨 Case {reference} is overdue since {when}: {title}")


def case_alert(
    template: str, reference: str, title: str, deadline: date, language: str
) -> OutgoingMessage:
    """A case reminder (to its handler) or escalation (to the chairman)."""
    with use_language(language):
        when = long_date(deadline)
        # The title may be a message id (a case's kind): shown in the officer's language.
        text = Markup(_(template)).format(reference=reference, title=_(title), when=when)
        return OutgoingMessage(text)
