"""Texts and keyboards of the officer's composer, progress and lists (pure builders)."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.core.config import Settings
from bot.core.dates import moment_text, short_date
from bot.core.i18n import _, format_number
from bot.core.textfmt import shorten
from bot.messaging.delivery import Progress
from bot.messaging.markup import runs_of, visible
from bot.messaging.outbox import Counts
from bot.messaging.window import outside_line, window_name
from bot.outreach.actions import (
    AudienceChoice,
    PostAudience,
    PostAudienceDone,
    PostCancel,
    PostConfirm,
    PostItem,
    PostLater,
    PostLibrary,
    PostNow,
    PostToggle,
    PostToggleTopic,
    PostToggleVillage,
    PostTopic,
)
from bot.outreach.audience import TOPICS, VILLAGES, Audience
from bot.outreach.broadcasts import Broadcast
from bot.outreach.library.items import LibraryItem
from bot.outreach.publications import FAILED, PUBLISHED, QUOTA, SKIPPED, Publication
from handlers.telegram.keyboards import button, rows


def audience_text(settings: Settings, audience: Audience, language: str) -> str:
    if audience.kind == VILLAGES:
        names = [v.name for v in settings.villages if v.id in audience.ids]
        return _("Villages: {names}").format(names=", ".join(names))
    if audience.kind == TOPICS:
        names = [t.name(language) for t in settings.topics if t.id in audience.ids]
        return _("Followers of: {names}").format(names=", ".join(names))
    return _("Everyone subscribed")


def when_text(moment: datetime | None, settings: Settings) -> str:
    if moment is None:
        return _("Now")
    return moment_text(moment, settings.timezone)


def content_prompt(draft_id: int) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "New post. Send me what to broadcast: a text, a photo with a caption, or a document. "
        "Or choose an item from the content library."
    )
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("📚 Choose from the library"), PostLibrary(draft_id, 0))],
            [button(_("✖ Cancel"), PostCancel(draft_id))],
        ]
    )
    return text, keyboard


def library_picker(
    draft_id: int, items: list[LibraryItem], offset: int, total: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        [button(f"{short_date(i.published_on)} · {shorten(i.title, 48)}", PostItem(draft_id, i.id))]
        for i in items
    ]
    nav = []
    if offset > 0:
        nav.append(button("◀", PostLibrary(draft_id, max(0, offset - page))))
    if offset + page < total:
        nav.append(button("▶", PostLibrary(draft_id, offset + page)))
    back = [button(_("✖ Cancel"), PostCancel(draft_id))]
    text = (
        _("Content library: choose an item to broadcast.") if total else _("The library is empty.")
    )
    return text, InlineKeyboardMarkup([*buttons, *([nav] if nav else []), back])


def topic_step(
    settings: Settings, draft_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(t.name(language), PostTopic(draft_id, t.id)) for t in settings.topics]
    none = button(_("No topic"), PostTopic(draft_id, None))
    return _("Which topic is this post about?"), InlineKeyboardMarkup([*rows(buttons, 2), [none]])


def audience_step(draft_id: int) -> tuple[str, InlineKeyboardMarkup]:
    choice = AudienceChoice
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("Everyone subscribed"), PostAudience(draft_id, choice.EVERYONE))],
            [button(_("Chosen villages"), PostAudience(draft_id, choice.VILLAGES))],
            [button(_("Followers of chosen topics"), PostAudience(draft_id, choice.TOPICS))],
        ]
    )
    return _("Who should receive it?"), keyboard


def audience_picker(
    settings: Settings, draft_id: int, audience: Audience, kind: str, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    chosen = set(audience.ids) if audience.kind == kind else set()
    toggle: type[PostToggle]
    if kind == VILLAGES:
        options = [(v.id, v.name) for v in settings.villages]
        toggle, text = PostToggleVillage, _("Tap the villages to reach, then press Done.")
    else:
        options = [(t.id, t.name(language)) for t in settings.topics]
        toggle = PostToggleTopic
        text = _("Tap the topics whose followers to reach, then press Done.")
    buttons = [
        button(("✅ " if i in chosen else "▫️ ") + name, toggle(draft_id, i)) for i, name in options
    ]
    done = button(_("Done"), PostAudienceDone(draft_id))
    return text, InlineKeyboardMarkup([*rows(buttons, 2), [done]])


def when_step(draft_id: int) -> tuple[str, InlineKeyboardMarkup]:
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(_("Send now"), PostNow(draft_id)),
                button(_("Schedule"), PostLater(draft_id)),
            ]
        ]
    )
    return _("When should it go out?"), keyboard


def when_prompt() -> str:
    return _(
        "Type the date and time (commune time), for example: 25/12 8:00, 8h sáng mai, "
        "14h30 thứ sáu, 20h tối nay."
    )


def when_problem(reason: str) -> str:
    problems = {
        "no_time": _("Please add a time, for example 8:00 or 8h."),
        "past": _("That moment has already passed."),
        "bad_date": _("That date or time does not exist."),
    }
    return problems.get(reason, _("I could not read that date and time.")) + "\n" + when_prompt()


def preview_summary(
    settings: Settings, draft: Broadcast, count: int, language: str, outside: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """The figures under the preview. `count`: the citizens the audience holds;
    `outside`: of those, the ones outside Zalo's window, who will not be sent to
    (as the progress and the report count them): the recipients are the rest."""
    topic = settings.topic(draft.topic_id) if draft.topic_id else None
    recipients = _("Recipients: {count}").format(count=format_number(count - outside))
    if outside:
        recipients = _(
            "Recipients: {count} ({outside} more outside Zalo's {window} window: not sent to)"
        ).format(
            count=format_number(count - outside),
            outside=format_number(outside),
            window=window_name(settings),
        )
    lines = [
        _("Above is the post exactly as citizens will see it."),
        recipients,
        _("Audience: {audience}").format(
            audience=audience_text(settings, draft.audience, language)
        ),
        _("Outreach topic: {topic}").format(topic=topic.name(language) if topic else _("no topic")),
        _("When: {when}").format(when=when_text(draft.send_at, settings)),
    ]
    go = _("✅ Schedule") if draft.send_at else _("✅ Send")
    keyboard = InlineKeyboardMarkup(
        [
            [
                button(go, PostConfirm(draft.id)),
                button(_("✖ Cancel"), PostCancel(draft.id)),
            ]
        ]
    )
    return "\n".join(lines), keyboard


def counts_text(counts: Counts, settings: Settings) -> str:
    text = _(
        "Sent: {sent} · Failed: {failed} · Blocked: {blocked} · Remaining: {remaining}"
    ).format(
        sent=format_number(counts.sent),
        failed=format_number(counts.failed),
        blocked=format_number(counts.blocked),
        remaining=format_number(counts.remaining),
    )
    # Only where a channel has a window (Zalo OA) can there be any.
    if counts.outside:
        text += " · " + outside_line(format_number(counts.outside), settings)
    return text


# Below this many recipients a sending speed tells an officer nothing ("33.2 messages/s"
# for two people): the report gives the counts only.
RATE_FROM = 100


def progress_text(progress: Progress, settings: Settings) -> str:
    if progress.finished:
        head = _("✅ Broadcast #{id} finished.").format(id=progress.broadcast_id)
    else:
        head = _("📣 Broadcast #{id} is being sent…").format(id=progress.broadcast_id)
    lines = [head, counts_text(progress.counts, settings)]
    if progress.counts.total >= RATE_FROM:
        rate = format_number(round(progress.rate, 1))
        lines.append(_("Rate: {rate} messages/s").format(rate=rate))
    return "\n".join(lines)


def progress_closed_text(broadcast_id: int) -> str:
    """What the progress note becomes at the end: the report itself follows as a new message."""
    return _("📣 Broadcast #{id}: sending is over, the report follows.").format(id=broadcast_id)


def broadcast_line(settings: Settings, broadcast: Broadcast, language: str) -> str:
    """One line of /scheduled or /broadcasts: number, time, audience, opening words."""
    message = broadcast.message
    text = visible(runs_of(message.text, message.html)) if message else ""
    opening = shorten(" ".join(text.split()), 60)
    when = when_text(broadcast.send_at or broadcast.created_at, settings)
    audience = audience_text(settings, broadcast.audience, language)
    return f"#{broadcast.id} · {when} · {audience}\n{opening}"


def publication_line(publication: Publication) -> str:
    """What became of a broadcast on a channel's own feed (the Zalo OA's article)."""
    if publication.state == PUBLISHED:
        used, _sep, quota = publication.detail.partition("/")
        return _(
            "📰 Zalo OA article: published and sent to the OA's followers"
            " ({used} of {quota} this month; Zalo reviews it first)."
        ).format(used=used, quota=quota)
    if publication.state == QUOTA:
        quota = publication.detail.partition("/")[2]
        return _("📰 Zalo OA article: not published, this month's {quota} are used up.").format(
            quota=quota
        )
    if publication.state == FAILED:
        return _(
            "📰 Zalo OA article: not published ({reason}). The messages to citizens are not affected."
        ).format(reason=publication.detail)
    return _("📰 Zalo OA article: being published…")


def publication_lines(publications: list[Publication]) -> list[str]:
    return [publication_line(p) for p in publications if p.state != SKIPPED]
