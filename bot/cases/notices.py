"""The texts of cases, for officers and for citizens, in the current language.

Markup (`bot.messaging.markup`): citizens' words may hold any character, and
every stored value is escaped as it is put in. Officers' names never appear
in what citizens see; the handling office does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, tzinfo

from bot.cases.actions import (
    CaseAccept,
    CaseAnswer,
    CaseAsk,
    CaseAssignMe,
    CaseChooseAssignee,
    CaseFiles,
    CaseReject,
    CaseResolve,
    CaseTransfer,
)
from bot.cases.card_actions import CardAction
from bot.cases.model import (
    ACTION_NAMES,
    KIND_NAMES,
    OFFICE_NAMES,
    STATUS_NAMES,
    TOPIC_NAMES,
    Case,
    Event,
    FileRef,
    Kind,
    Status,
    Topic,
)
from bot.core.config import Settings
from bot.core.dates import long_date, moment_text
from bot.core.i18n import _, ngettext
from bot.messaging.markup import Markup, bold, escape, join
from bot.messaging.messages import Button


def kind_name(kind: Kind) -> str:
    return _(KIND_NAMES[kind])


def topic_name(topic: Topic) -> str:
    return _(TOPIC_NAMES[topic])


def status_name(status: Status) -> str:
    return _(STATUS_NAMES[status])


def office_name(case: Case, settings: Settings) -> str:
    return _("{office}, People's Committee of {commune} commune").format(
        office=_(OFFICE_NAMES[case.office]), commune=settings.commune_name
    )


def village_name(settings: Settings, village_id: str | None) -> str:
    village = settings.village(village_id)
    return village.name if village else _("not given")


def due_line(case: Case, today: date) -> str:
    when = long_date(case.due_on)
    if case.status.open and today > case.due_on:
        return _("Deadline: {date} (overdue)").format(date=when)
    return _("Deadline: {date}").format(date=when)


def identity_line(case: Case, visible: bool) -> str:
    """Who sent the case, as far as this reader may know."""
    if not visible and case.kind.formal:
        return _("Sender: confidential (seen only by the justice officer and the chairman)")
    if not visible:
        return _("Sender: shown only to the officers handling the case")
    if case.anonymous:
        return _("Sender: anonymous")
    if case.contact is None:
        return _("Sender: did not share contact details; reply through the bot")
    return _("Sender: {name}, phone {phone}").format(
        name=case.contact.name, phone=case.contact.phone
    )


def officer_card(
    case: Case, settings: Settings, today: date, *, identity: bool, files_below: bool = True
) -> Markup:
    """A case as an officer sees it; `identity` False hides who sent it.

    `files_below` says the case's files follow the card (a new case's notice);
    `/case` offers them behind a button instead.
    """
    lines = [
        bold(f"{kind_name(case.kind)} {case.code}"),
        _("Topic: {topic} · Village: {village}").format(
            topic=topic_name(case.topic), village=village_name(settings, case.village_id)
        ),
        _("Status: {status}").format(status=status_name(case.status)),
        due_line(case, today),
        identity_line(case, identity),
    ]
    if case.location is not None:
        lines.append(_("Location: {url}").format(url=case.location.map_url))
    if case.attachments and files_below:
        lines.append(_("Files: {count} (sent below)").format(count=len(case.attachments)))
    if case.rating is not None:
        lines.append(_("Rating: {stars}/5").format(stars=case.rating))
    return Markup("{}\n\n{}").format(join("\n", lines), case.description)


def files_button(case: Case, files: Sequence[FileRef]) -> Button:
    """ "🖼 Show 2 photos": what a press on it sends (`CaseFiles`)."""
    count = len(files)
    if all(f.kind == "photo" for f in files):
        label = ngettext("🖼 Show {count} photo", "🖼 Show {count} photos", count)
    elif all(f.kind == "voice" for f in files):
        label = ngettext("🎙 Hear {count} voice note", "🎙 Hear {count} voice notes", count)
    else:
        label = ngettext("📎 Show {count} file", "📎 Show {count} files", count)
    return Button(label.format(count=count), CaseFiles(case.id))


def group_card(case: Case, settings: Settings, today: date) -> Markup:
    """What the officers' group sees: a complaint or denunciation only by its code."""
    if case.kind.formal:
        return escape(
            _(
                "New {kind} {code} received. It is handled confidentially by the justice officer."
            ).format(kind=kind_name(case.kind).lower(), code=case.code)
        )
    return Markup("{}\n{}").format(
        _("New case"), officer_card(case, settings, today, identity=False)
    )


def officer_buttons(case: Case, shown: Collection[CardAction]) -> tuple[tuple[Button, ...], ...]:
    """The card's buttons among `shown` (see card_actions); each press is checked again."""
    data = case.id
    A = CardAction
    buttons = {
        A.ACCEPT: Button(_("✅ Accept"), CaseAccept(data)),
        A.ASSIGN_ME: Button(_("🙋 Assign to me"), CaseAssignMe(data)),
        A.ASSIGN: Button(_("👥 Assign…"), CaseChooseAssignee(data)),
        A.ASK: Button(_("❓ Ask for information"), CaseAsk(data)),
        A.ANSWER: Button(_("💬 Answer"), CaseAnswer(data)),
        A.TRANSFER: Button(_("↪️ Transfer"), CaseTransfer(data)),
        A.RESOLVE: Button(_("✔️ Resolve"), CaseResolve(data)),
        A.REJECT: Button(_("⛔ Reject"), CaseReject(data)),
    }
    layout = (
        (A.ACCEPT, A.ASSIGN_ME, A.ASSIGN),
        (A.ASK, A.ANSWER),
        (A.TRANSFER, A.RESOLVE, A.REJECT),
    )
    rows = (tuple(buttons[a] for a in row if a in shown) for row in layout)
    return tuple(row for row in rows if row)


def officer_timeline(events: list[Event], tz: tzinfo) -> Markup:
    """Every event with the officer who did it: the audit trail."""
    lines: list[str] = [bold(_("Timeline:"))]
    for e in events:
        who = e.actor_name or _("citizen")
        text = f": {e.text}" if e.text else ""
        files = f" 📎{len(e.files)}" if e.files else ""
        when = moment_text(e.at, tz)
        lines.append(f"• {when} {_(ACTION_NAMES[e.action])} ({who}){text}{files}")
    return join("\n", lines)


def citizen_view(
    case: Case, events: list[Event], settings: Settings, today: date, tz: tzinfo
) -> Markup:
    """What /track shows: status, deadline, handling office and the public timeline."""
    lines = [
        bold(f"{kind_name(case.kind)} {case.code}"),
        _("Status: {status}").format(status=status_name(case.status)),
        due_line(case, today),
        _("Handled by: {office}").format(office=office_name(case, settings)),
        "",
        bold(_("Timeline:")),
    ]
    for e in events:
        if not e.public:
            continue
        when = moment_text(e.at, tz)
        lines.append(f"• {when} {_(ACTION_NAMES[e.action])}" + (f": {e.text}" if e.text else ""))
    return join("\n", lines)


def waiting_line() -> str:
    """The officer's view of a case whose messages to the citizen wait for them to
    write: their channel (Zalo OA) lets the bot write only within a window."""
    return _(
        "⏳ The answer is waiting for the citizen to write: on Zalo the bot can reach them "
        "only within a window after their last message, and delivers it when they next write."
    )


def answer_waits(case: Case) -> str:
    """What the officer who sent an answer is told when it cannot go yet."""
    return _(
        "The answer to case {code} is waiting for the citizen: they have not written "
        "within Zalo's window, so it is delivered when they next write."
    ).format(code=case.code)
