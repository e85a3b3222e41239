"""What `/mydata` says: each kind of record, why it is kept, who sees it, for how long."""

from __future__ import annotations

from bot.cases.notices import kind_name
from bot.core.config import Settings
from bot.core.dates import long_date, moment_text
from bot.core.i18n import LANGUAGE_NAMES, _, ngettext
from bot.people.citizens import Citizen
from bot.privacy.service import Erased, Holdings

NONE = "—"
QUOTE_LIMIT = 80
CASES_SHOWN = 20


def holdings_text(data: Holdings, settings: Settings, language: str, days: int) -> str:
    """Everything held, in plain words, one part per kind of record."""
    parts = [
        _("What this bot holds about you, why, who sees it and how long it is kept:"),
        _account(data, settings, language),
        _cases(data),
        _questions(data),
        _messages(data, days),
        *_last_heard(data, settings),
        *_answers(data),
        *_dialogue_questions(data),
        *_bookings(data),
        _("Reports and public figures hold only counts, never your name or what you wrote."),
    ]
    return "\n\n".join(parts)


def _account(data: Holdings, settings: Settings, language: str) -> str:
    citizen = data.cases.citizen
    if citizen is None:
        return _("👤 Your subscription: none.")
    lines = [_("👤 Your subscription")]
    lines += _citizen_lines(citizen, settings, language)
    if data.subscription:
        first = data.subscription[0][0].astimezone(settings.timezone).date()
        lines.append(
            _("Subscription history: {count} change(s) since {date}.").format(
                count=len(data.subscription), date=long_date(first)
            )
        )
    lines.append(
        _(
            "Why: to send you the announcements you chose. Who sees it: officers see only "
            "counts by village. Kept while you use the bot: /settings changes it, /stop stops "
            "announcements."
        )
    )
    return "\n".join(lines)


def _citizen_lines(citizen: Citizen, settings: Settings, language: str) -> list[str]:
    village = settings.village(citizen.village_id)
    topics = sorted(t.name(language) for t in settings.topics if t.id in citizen.topics)
    return [
        _("Your display name in the chat app: {name}").format(name=citizen.display_name or NONE),
        _("Language: {language}").format(language=LANGUAGE_NAMES.get(citizen.language, "")),
        _("Village: {village}").format(village=village.name if village else NONE),
        _("Topics: {topics}").format(topics=", ".join(topics) or NONE),
        _("Receiving announcements: {yes}").format(
            yes=_("yes") if citizen.subscribed and not citizen.blocked else _("no")
        ),
    ]


def _cases(data: Holdings) -> str:
    contacts = ", ".join(f"{c.name} {c.phone}" for c in data.cases.contacts) or NONE
    listed = [f"{c.code} ({kind_name(c.kind)})" for c in data.cases.cases[:CASES_SHOWN]]
    if len(data.cases.cases) > CASES_SHOWN:
        listed.append("…")  # the newest first; a long list would pass Telegram's 4096 characters
    cases = ", ".join(listed) or NONE
    lines = [
        _("📝 Your feedback, petitions and other cases"),
        _("Names and phone numbers you gave: {contacts}").format(contacts=contacts),
        _("Your cases: {cases}").format(cases=cases),
    ]
    if data.public_answers:
        lines.append(
            _("Answers made public without your name or phone: {codes}").format(
                codes=", ".join(data.public_answers)
            )
        )
    lines.append(
        _(
            "Why: to handle what you raised and answer you. Who sees it: the officers who "
            "handle it and the chairman (for a complaint or denunciation, only the justice "
            "officer and the chairman). Kept as "
            "the law requires for records of what citizens raise; if you erase your data, the "
            "content stays without your name and phone."
        )
    )
    return "\n".join(lines)


def _questions(data: Holdings) -> str:
    asked = data.questions
    if asked.count:
        lines = [_("❓ Questions you asked: {count}").format(count=asked.count)]
    else:  # "0" reads like a figure to check: say there is none
        lines = [_("❓ Questions you asked: none.")]
    lines += [f"• «{_clip(text)}»" for text in asked.latest]
    lines.append(
        _(
            "Why: to answer you and to improve the answers. Who sees it: officers see questions "
            "without your name. Kept to count how well questions are answered; if you erase your "
            "data, they are no longer linked to you."
        )
    )
    return "\n".join(lines)


def _messages(data: Holdings, days: int) -> str:
    sent = data.messages
    return "\n".join(
        [
            _(
                "🔔 Messages the bot sent you: {count} notification(s), {kept} with their text still "
                "stored; {announcements} announcement(s)."
            ).format(
                count=sent.notifications, kept=sent.with_text, announcements=sent.announcements
            )
            if sent.notifications or sent.announcements
            else _("🔔 Messages the bot sent you: none yet."),
            _(
                "Why: to deliver them to you. Who sees it: nobody reads them once delivered. "
                "Kept: the text of a notification is erased {days} days after delivery; that a "
                "message was sent is kept to count deliveries."
            ).format(days=days),
        ]
    )


def _last_heard(data: Holdings, settings: Settings) -> list[str]:
    """When they last wrote: kept only where the channel limits when the bot may write."""
    if data.last_heard is None:
        return []
    when = moment_text(data.last_heard, settings.timezone)
    return [
        "\n".join(
            [
                _("🕒 When you last wrote to the bot: {when}.").format(when=when),
                _(
                    "Why: Zalo lets the commune write to you on its own only for a while after "
                    "your last message; what comes later waits for your next one. Kept: only the "
                    "latest time, until you erase your data."
                ),
            ]
        )
    ]


def _answers(data: Holdings) -> list[str]:
    if not data.answers:
        return []
    lines = [_("🗳 Your answers to consultations: {count}").format(count=len(data.answers))]
    for title, option, comment in data.answers:
        lines.append(f"• {_clip(title)}: {option}" + (f" — «{_clip(comment)}»" if comment else ""))
    lines.append(
        _(
            "Why: to count your answer once and let you change it. Who sees it: officers see "
            "only counts and comments, never who chose what. If you erase your data, a closed "
            "result keeps your answer in its count without your name; an open one loses it."
        )
    )
    return ["\n".join(lines)]


def _dialogue_questions(data: Holdings) -> list[str]:
    if not data.dialogue_questions:
        return []
    lines = [
        _("🗣 Your questions to dialogues and voter meetings: {count}").format(
            count=len(data.dialogue_questions)
        )
    ]
    for title, question in data.dialogue_questions:
        words = question.text or _("(a voice note)")
        lines.append(f"• {_clip(title)} #{question.number}: «{_clip(words)}»")
    lines.append(
        _(
            "Why: to answer you and to count who asks the same. Who sees it: officers, with "
            "your name only if you signed; others read a public question without any name. "
            "Erasing your data removes your name from them; the words stay, as a case's do."
        )
    )
    return ["\n".join(lines)]


def _bookings(data: Holdings) -> list[str]:
    if not data.bookings:
        return []
    lines = [_("📅 Your citizen reception bookings: {count}").format(count=len(data.bookings))]
    for b in data.bookings[:CASES_SHOWN]:
        who = " ".join(p for p in (b.name, b.phone) if p) or NONE
        lines.append(f"• {b.code} {long_date(b.day)}: {who}")
    lines.append(
        _(
            "Why: to receive you on the day you booked and remind you of it. Who sees it: the "
            "officers who receive citizens (the chairman, the justice officer and the office). "
            "Kept in the citizen reception register as the law requires; if you erase your data, "
            "what you raised stays without your name and phone."
        )
    )
    return ["\n".join(lines)]


def erase_question() -> str:
    return _(
        "Erase your personal data? This erases your name and phone number from your cases and "
        "your display name, unlinks your questions from you and erases the text of the "
        "notifications already sent to you or to officers with your phone number. The content of your cases is kept, as the law "
        "requires, without your identity: open cases still get their answer in this chat, "
        "closed ones are no longer linked to you. Your subscription stays until you /stop."
    )


def erased_text(erased: Erased) -> str:
    """What was erased, naming only what there was."""
    parts = []
    if erased.contacts:
        parts.append(
            ngettext(
                "your name and phone from {count} case",
                "your name and phone from {count} cases",
                erased.contacts,
            ).format(count=erased.contacts)
        )
    if erased.questions:
        parts.append(
            ngettext(
                "the link to {count} question", "the link to {count} questions", erased.questions
            ).format(count=erased.questions)
        )
    if erased.notifications:
        parts.append(
            ngettext(
                "the text of {count} notification about you",
                "the text of {count} notifications about you",
                erased.notifications,
            ).format(count=erased.notifications)
        )
    if erased.answers:
        parts.append(
            ngettext(
                "the link to {count} answer to a consultation",
                "the link to {count} answers to consultations",
                erased.answers,
            ).format(count=erased.answers)
        )
    if erased.bookings:
        parts.append(
            ngettext(
                "your name and phone from {count} reception booking",
                "your name and phone from {count} reception bookings",
                erased.bookings,
            ).format(count=erased.bookings)
        )
    if not parts:
        return _(
            "Done. No case, question or notification held your name or phone; "
            "your display name is no longer kept."
        )
    return _("Done. Erased: {what}.").format(what="; ".join(parts))


def _clip(text: str) -> str:
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"
