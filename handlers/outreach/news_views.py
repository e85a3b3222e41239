"""The lists of `/news` and `/models`: pure builders of their text and buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.core.dates import short_date
from bot.core.i18n import _
from bot.core.textfmt import shorten
from bot.messaging.actions import Action
from bot.messaging.messages import OutgoingMessage
from bot.outreach.actions import NewsOpen, NewsPage, NewsPost
from bot.outreach.archive import ArchiveEntry
from bot.outreach.archive_render import headline
from bot.outreach.library.items import LibraryItem
from handlers.telegram.keyboards import button

PAGE = 5
ALL = "all"


@dataclass(frozen=True)
class Line:
    """One line of a list: what it is called, its date, and what its button opens."""

    title: str
    day: date
    action: Action


def item_line(item: LibraryItem) -> Line:
    return Line(item.title, item.published_on, NewsOpen(item.id))


def entry_line(entry: ArchiveEntry, timezone: ZoneInfo) -> Line:
    """A library item as the library lists it; an announcement marked 📢, by its first line."""
    if entry.item is not None:
        return item_line(entry.item)
    assert entry.announcement is not None
    found = entry.announcement
    title = headline(found.message) or _untitled(found.message)
    return Line(f"📢 {title}", found.sent_at.astimezone(timezone).date(), NewsPost(found.id))


def _untitled(message: OutgoingMessage) -> str:
    """A name for a photo or file sent without a caption."""
    if message.attachment is not None and message.attachment.kind == "photo":
        return _("Announcement with a photo")
    return _("Announcement with a file")


def list_view(
    lines: list[Line], kind: str, offset: int, total: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of titles, each a button that opens the item, and paging buttons."""
    heading = _("Dân vận khéo: model stories") if kind != ALL else _("Latest news from the commune")
    if not lines:
        return heading + "\n\n" + _("Nothing has been published yet."), None
    shown = _("{first}–{last} of {total}").format(
        first=offset + 1, last=offset + len(lines), total=total
    )
    numbered = list(enumerate(lines, offset + 1))
    text_lines = [f"{n}. {line.title} · {short_date(line.day)}" for n, line in numbered]
    buttons = [[button(f"📖 {n}. {shorten(line.title, 48)}", line.action)] for n, line in numbered]
    nav = []
    if offset > 0:
        nav.append(button(_("◀ Newer"), NewsPage(kind, max(0, offset - PAGE))))
    if offset + PAGE < total:
        nav.append(button(_("Older ▶"), NewsPage(kind, offset + PAGE)))
    text = f"{heading} ({shown})\n\n" + "\n".join(text_lines)
    return text, InlineKeyboardMarkup([*buttons, *([nav] if nav else [])])
