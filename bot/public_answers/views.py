"""The texts and buttons of public answers, in the current language."""

from __future__ import annotations

from datetime import date

from babel import dates

from bot.cases.model import KIND_NAMES, TOPIC_NAMES, Topic
from bot.core.config import Settings
from bot.core.i18n import _, current_language
from bot.messaging.markup import Markup, bold, join
from bot.messaging.messages import Button, OutgoingMessage
from bot.public_answers.actions import (
    AnswersBack,
    AnswersEntry,
    AnswersPage,
    PublicCancel,
    PublicConfirm,
    PublicList,
    PublicRewrite,
    PublicWithdraw,
)
from bot.public_answers.repository import PublicAnswer
from bot.public_answers.service import Page, clamp

# What a page of answers shows at most, so that a page reads at a glance;
# a longer answer is shortened there and one tap away in full.
PAGE_LIMIT = 4000


def month_name(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return dates.format_skeleton("yMMMM", date(year, number, 1), locale=current_language())


def meta_line(entry: PublicAnswer, settings: Settings) -> str:
    """Kind, topic, village and month: what an entry says of where it came from."""
    village = settings.village(entry.village_id)
    parts = [_(KIND_NAMES[entry.kind]), _(TOPIC_NAMES[entry.topic])]
    parts += [village.name] if village else []
    return " · ".join([*parts, month_name(entry.month)])


def entry_text(entry: PublicAnswer, settings: Settings, limit: int | None = None) -> Markup:
    """One public answer, whole; given a `limit`, the question and answer are shortened."""
    meta, said = meta_line(entry, settings), _("The commune's answer:")
    summary, answer = entry.summary, entry.answer
    if limit is not None:
        room = max(limit - len(meta) - len(said) - 8, 80)
        summary = clamp(entry.summary, max(room // 3, room - len(entry.answer)))
        answer = clamp(entry.answer, room - len(summary))
    return Markup("📌 {}\n❓ {}\n💬 {} {}").format(meta, summary, bold(said), answer)


def preview(entry: PublicAnswer, settings: Settings) -> OutgoingMessage:
    """What the officer confirms: exactly the entry citizens will read, and a warning."""
    lead = _(
        "Preview of the public answer. Phone numbers, e-mails, Telegram names and house "
        "numbers were hidden (***). Please check that no name or other detail that "
        "identifies the citizen remains; if one does, write the summary yourself."
    )
    data = (entry.id, entry.revision)
    buttons = (
        (Button(_("✅ Publish"), PublicConfirm(*data)),),
        (Button(_("✏️ Write the summary myself"), PublicRewrite(*data)),),
        (Button(_("✖️ Cancel"), PublicCancel(*data)),),
    )
    body = entry_text(entry, settings)
    return OutgoingMessage(Markup("{}\n\n{}").format(lead, body), buttons=buttons)


def published(entry: PublicAnswer, settings: Settings) -> Markup:
    """What replaces the preview once it is public."""
    done = _("✅ Published. Citizens can now read it with /answers:")
    return Markup("{}\n\n{}").format(done, entry_text(entry, settings))


def topics_message(counts: dict[Topic, int], commune: str) -> OutgoingMessage:
    """The topic picker, with how many answers each topic holds."""
    if not counts:
        text = _("No answers have been made public yet. Please come back later.")
        return OutgoingMessage(text)
    text = _(
        "📖 Answers of the People's Committee of {commune} commune to citizens' feedback "
        "and petitions, made public without names or addresses. Choose a topic:"
    ).format(commune=commune)
    buttons = tuple(
        (Button(f"{_(TOPIC_NAMES[t])} ({n})", AnswersPage(t, 0)),) for t, n in counts.items()
    )
    return OutgoingMessage(text, buttons=buttons)


def page_message(topic: Topic, page: Page, settings: Settings) -> OutgoingMessage:
    """A page of one topic's answers, newest first, with paging buttons."""
    head = _("📖 {topic}: public answers {first}–{last} of {total}").format(
        topic=_(TOPIC_NAMES[topic]),
        first=page.first,
        last=page.first + len(page.entries) - 1,
        total=page.total,
    )
    room = (PAGE_LIMIT - len(head) - 20) // max(len(page.entries), 1) - 10
    blocks: list[str] = [bold(head)]
    full = []
    for place, entry in enumerate(page.entries, start=page.first):
        text = entry_text(entry, settings, room)
        blocks.append(Markup("{}. {}").format(place, text))
        if text != entry_text(entry, settings):
            full.append(
                Button(_("📄 Read {number} in full").format(number=place), AnswersEntry(entry.id))
            )
    nav = []
    if page.number > 0:
        nav.append(Button(_("◀️ Newer"), AnswersPage(topic, page.number - 1)))
    if page.number + 1 < page.pages:
        nav.append(Button(_("Older ▶️"), AnswersPage(topic, page.number + 1)))
    rows = [tuple(full[i : i + 3]) for i in range(0, len(full), 3)]
    rows += [tuple(nav)] if nav else []
    rows.append((Button(_("↩️ Topics"), AnswersBack()),))
    return OutgoingMessage(join("\n\n", blocks), buttons=tuple(rows))


def officer_page(page: Page, settings: Settings) -> OutgoingMessage:
    """The published answers for officers, each with a button to withdraw it."""
    if not page.entries:
        return OutgoingMessage(_("No answer is public at the moment."))
    head = _("🌐 Public answers {first}–{last} of {total}. Withdraw one to hide it from citizens.")
    lines: list[str] = [
        head.format(first=page.first, last=page.first + len(page.entries) - 1, total=page.total)
    ]
    rows: list[tuple[Button, ...]] = []
    for place, entry in enumerate(page.entries, start=page.first):
        lines.append(Markup("{}. {}").format(place, entry_text(entry, settings, 600)))
        label = _("🗑 Withdraw {number}").format(number=place)
        rows.append((Button(label, PublicWithdraw(entry.id, page.number)),))
    nav = []
    if page.number > 0:
        nav.append(Button(_("◀️ Newer"), PublicList(page.number - 1)))
    if page.number + 1 < page.pages:
        nav.append(Button(_("Older ▶️"), PublicList(page.number + 1)))
    rows += [tuple(nav)] if nav else []
    return OutgoingMessage(join("\n\n", lines), buttons=tuple(rows))
