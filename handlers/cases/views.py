"""Pure builders for the /feedback form: each step's text and keyboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import tzinfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.cases.actions import (
    Consent,
    IntakeCancel,
    IntakeConsent,
    IntakeFilesDone,
    IntakeKind,
    IntakeRestart,
    IntakeSend,
    IntakeTopic,
    IntakeVillage,
    TrackPetitionForm,
    TrackReceptionDay,
)
from bot.cases.model import KIND_HELP, Case, Draft, FileRef, Kind, Topic
from bot.cases.notices import kind_name, topic_name, village_name
from bot.cases.reception import ReceptionSlot
from bot.core.config import Settings
from bot.core.dates import clock, long_date
from bot.core.i18n import _, ngettext
from bot.reception.actions import BookStart
from handlers.telegram.keyboards import button, rows

Step = tuple[str, InlineKeyboardMarkup]


def _cancel() -> InlineKeyboardButton:
    return button(_("✖️ Cancel"), IntakeCancel())


def kind_step() -> Step:
    lines = [_("What would you like to send to the commune?"), ""]
    lines += [f"• {kind_name(k)}: {_(KIND_HELP[k])}" for k in Kind]
    buttons = [button(kind_name(k), IntakeKind(k)) for k in Kind]
    return "\n".join(lines), InlineKeyboardMarkup([*rows(buttons, 2), [_cancel()]])


def topic_step() -> Step:
    buttons = [button(topic_name(t), IntakeTopic(t)) for t in Topic]
    markup = InlineKeyboardMarkup([*rows(buttons, 2), [_cancel()]])
    return _("What is it about?"), markup


def village_step(settings: Settings, mine: str | None) -> Step:
    buttons = [
        button(("📍 " if v.id == mine else "") + v.name, IntakeVillage(v.id))
        for v in settings.villages
    ]
    other = button(_("Other place / not sure"), IntakeVillage(None))
    markup = InlineKeyboardMarkup([*rows(buttons, 2), [other], [_cancel()]])
    return _("In which village is it?"), markup


def description_step(photos_only: bool = False) -> str:
    """Ask for the description; a voice note only where the channel carries one."""
    if photos_only:
        return _("Please describe it in your own words: what, where, since when.")
    return _(
        "Please describe it in your own words: what, where, since when. "
        "You can type it, or send a voice message if you prefer speaking."
    )


def files_step(files: Sequence[FileRef], has_location: bool, photos_only: bool = False) -> Step:
    """Offer what the channel lets a person attach (Zalo Bot: photos only)."""
    text = (
        _("You can add photos. Choose Continue when you are done, or if you have none.")
        if photos_only
        else _(
            "You can add photos, documents or a location pin. "
            "Choose Continue when you are done, or if you have none."
        )
    )
    if files or has_location:
        added = [*received(files), *([_("a location")] if has_location else [])]
        text = _("Added: {things}. Send more, or choose Continue.").format(things=", ".join(added))
    cont = button(_("Continue ➡️"), IntakeFilesDone())
    return text, InlineKeyboardMarkup([[cont], [_cancel()]])


def consent_step(kind: Kind, settings: Settings) -> Step:
    """Say what a name and phone are for and who sees them, then ask (Decree 13/2023)."""
    who = (
        _("only the justice officer and the chairman")
        if kind.formal
        else _("only the commune officers handling your case and the commune chairman")
    )
    lines = [
        _(
            "So that the commune can contact you about this case, we would like your name "
            "and phone number. They are used only to handle this case, are seen by {who}, "
            "and are never published. You can see or erase them at any time with /mydata."
        ).format(who=who)
    ]
    buttons = [[button(_("✅ I agree"), IntakeConsent(Consent.AGREE))]]
    if kind.allows_anonymity:
        lines.append(_("You may also send it without your name and phone."))
        buttons.append([button(_("🙈 Send anonymously"), IntakeConsent(Consent.ANONYMOUS))])
    else:
        lines.append(
            _("A {kind} cannot be anonymous: the law does not process anonymous ones.").format(
                kind=kind_name(kind).lower()
            )
        )
    buttons.append([_cancel()])
    return "\n\n".join(lines), InlineKeyboardMarkup(buttons)


def contact_step(can_share: bool = True) -> tuple[str, ReplyKeyboardMarkup | None]:
    """Ask for a name and phone: with a button that shares the number, where the channel has
    buttons (a channel without them shows no keyboard either: the person types)."""
    if not can_share:
        return _(
            "Please type your full name and phone number, e.g. Nguyễn Văn An 0912345678."
        ), None
    share = KeyboardButton(_("📱 Share my phone number"), request_contact=True)
    markup = ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    text = _(
        "Press the button below to share your phone number, "
        "or type your full name and phone number, e.g. Nguyễn Văn An 0912345678."
    )
    return text, markup


def received(files: Sequence[FileRef]) -> list[str]:
    """ "1 photo", "2 documents", "1 voice message": what the citizen sent, by kind."""
    counts = Counter(f.kind for f in files)
    photos, voices = counts.pop("photo", 0), counts.pop("voice", 0)
    documents = sum(counts.values())  # documents, and any kind added later
    parts = [
        ngettext("{count} photo", "{count} photos", photos).format(count=photos),
        ngettext("{count} document", "{count} documents", documents).format(count=documents),
        ngettext("{count} voice message", "{count} voice messages", voices).format(count=voices),
    ]
    return [part for part, n in zip(parts, (photos, documents, voices), strict=True) if n]


def review_step(draft: Draft, settings: Settings) -> Step:
    assert draft.kind is not None and draft.topic is not None
    if draft.contact is not None:
        sender = f"{draft.contact.name}, {draft.contact.phone}"
    else:
        sender = _("anonymous")
    lines = [
        _("Please check before sending:"),
        _("Kind: {kind}").format(kind=kind_name(draft.kind)),
        _("Topic: {topic}").format(topic=topic_name(draft.topic)),
        _("Village: {village}").format(village=village_name(settings, draft.village_id)),
        _("Description: {text}").format(text=draft.description),
        # What was sent, by kind ("1 ảnh"), or "không": never "0".
        _("Files: {count}").format(count=", ".join(received(draft.files)) or _("no")),
        _("Sender: {sender}").format(sender=sender),
    ]
    if draft.location:  # only when sent: a channel may carry no location at all (Zalo Bot)
        lines.insert(-1, _("Location: {yes}").format(yes=_("yes")))
    send = button(_("✅ Send"), IntakeSend())
    again = button(_("🔁 Start again"), IntakeRestart())
    return "\n".join(lines), InlineKeyboardMarkup([[send], [again, _cancel()]])


def submitted_text(case: Case) -> str:
    """What the citizen is told once the case is stored: code, deadline, next steps."""
    when = long_date(case.due_on)
    if case.kind.formal:
        return _(
            "Your message has been recorded with the tracking code {code} and passed "
            "privately to the justice officer as information. It will be looked at by {date}."
        ).format(code=case.code, date=when)
    return _(
        "Thank you. Your {kind} has been received.\n"
        "Tracking code: {code}\n"
        "The commune will answer by {date}.\n\n"
        "You will be told here at every step. To see where it stands, send /track {code}."
    ).format(kind=kind_name(case.kind).lower(), code=case.code, date=when)


def formal_routes(case: Case, slot: ReceptionSlot, tz: tzinfo) -> Step:
    """How to file a complaint or denunciation formally: a signed petition, or in person."""
    text = _(
        "Please note: a formal {kind} must be a signed written petition, or be made in "
        "person at the commune office. A chat message alone is not a formal filing.\n\n"
        "You can:\n"
        "1. Download the petition below, already filled in, then print, sign and hand it in.\n"
        "2. Come to the citizen reception day: {when}, at {place}."
    ).format(kind=kind_name(case.kind).lower(), when=reception_when(slot, tz), place=slot.place)
    return text, formal_buttons(case)


def formal_buttons(case: Case) -> InlineKeyboardMarkup:
    form = button(_("📄 Petition form"), TrackPetitionForm(case.id))
    day = button(_("📅 Reception day"), TrackReceptionDay(case.id))
    book = button(_("🗓 Book a reception time"), BookStart(case.id))
    return InlineKeyboardMarkup([[form, day], [book]])


def reception_when(slot: ReceptionSlot, tz: tzinfo) -> str:
    return _("{day}, from {start} to {end}").format(
        day=long_date(slot.start.astimezone(tz).date()),
        start=clock(slot.start, tz),
        end=clock(slot.end, tz),
    )
