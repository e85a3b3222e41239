"""Pure builders of the FAQ's replies: texts and buttons for each verdict."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core.dates import long_date
from bot.core.i18n import _
from bot.faq.actions import (
    FaqConfirmSend,
    FaqHelpful,
    FaqNotHelpful,
    FaqPick,
    FaqSendToOfficers,
    FaqSkip,
)
from bot.faq.desk import Receipt
from bot.faq.journal import FaqStats
from bot.faq.matcher import Verdict
from bot.faq.repository import FaqEntry
from bot.faq.service import Reply
from bot.messaging.markup import Markup, bold
from handlers.telegram.keyboards import button

LABEL_LIMIT = 60  # longer questions are cut on a button

View = tuple[str, InlineKeyboardMarkup | None]


def reply_view(reply: Reply, answer_within_days: int) -> View:
    """What the citizen sees for their question."""
    if reply.verdict is Verdict.EMPTY or reply.query_id is None:
        return _(
            "Please type your question in a few words, for example: "
            "“đăng ký khai sinh cần gì”. Or send /help to see what I can do."
        ), None
    if reply.verdict is Verdict.CONFIDENT and reply.best is not None:
        return answer_view(reply.query_id, reply.best.entry)
    if reply.verdict is Verdict.MIDDLING:
        return choices_view(reply.query_id, [m.entry for m in reply.matches])
    return offer_view(reply.query_id, answer_within_days, lead=_("I have no ready answer to that."))


def answer_view(query_id: int, entry: FaqEntry) -> View:
    text = Markup("❓ {}\n\n{}").format(bold(entry.question), entry.answer)
    if entry.source:
        text += Markup("\n\n") + _("Based on: {source}").format(source=entry.source)
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("✅ This answered my question"), FaqHelpful(query_id))],
            [button(_("❌ Not what I asked"), FaqNotHelpful(query_id))],
        ]
    )
    return text, keyboard


def choices_view(query_id: int, entries: list[FaqEntry]) -> View:
    rows = [[button(_short(e.question), FaqPick(query_id, e.id))] for e in entries]
    rows.append([button(_("None of these: ask the officers"), FaqSendToOfficers(query_id))])
    return _("Did you mean one of these questions?"), InlineKeyboardMarkup(rows)


def offer_view(query_id: int, answer_within_days: int, lead: str) -> View:
    text = "\n".join(
        [
            lead,
            _(
                "Shall I send your question to the commune officers? "
                "They answer within {days} working days."
            ).format(days=answer_within_days),
            _("You can also send /help to see what else I can do."),
        ]
    )
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("📨 Send to the officers"), FaqSendToOfficers(query_id))],
            [button(_("No, thank you"), FaqSkip(query_id))],
        ]
    )
    return text, keyboard


def send_preview(query_id: int, question: str, detail: str) -> tuple[str, InlineKeyboardMarkup]:
    """What will reach the officers, before it is sent."""
    shown = f"{question}\n{detail}".strip()
    text = _(
        "This will be sent to the commune officers:\n\n{text}\n\n"
        "To help them answer, you can type more detail now (it is added). "
        "Choose Send when it is ready."
    ).format(text=shown)
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("📨 Send"), FaqConfirmSend(query_id))],
            [button(_("✖️ Cancel"), FaqSkip(query_id))],
        ]
    )
    return text, keyboard


def sent_text(receipt: Receipt) -> str:
    return _(
        "Your question was sent to the commune officers. Tracking code: {code}. "
        "They will answer by {due}, here in this chat. "
        "You can follow it with /track {code}."
    ).format(code=receipt.code, due=long_date(receipt.due))


def stats_text(stats: FaqStats, days: int) -> str:
    """Figures for officers: how often the FAQ answered, and what it could not."""
    lines = [
        _("FAQ in the last {days} days:").format(days=days),
        _(
            "Questions: {asked} (answered at once {confident}, offered choices {middling}, "
            "no answer {none})"
        ).format(
            asked=stats.asked,
            confident=stats.confident,
            middling=stats.middling,
            none=stats.unanswered,
        ),
        _("Feedback: {good} helpful, {bad} not what was asked; {sent} sent to officers").format(
            good=stats.helpful, bad=stats.not_helpful, sent=stats.sent_to_officers
        ),
    ]
    if stats.top_unanswered:
        lines += ["", _("Unanswered questions:")]
        lines += [f"• ({t.count}) {t.text}" for t in stats.top_unanswered]
    if stats.badly_answered:
        lines += ["", _("Badly answered entries:")]
        lines += [f"• ({t.count}) {t.text}" for t in stats.badly_answered]
    return "\n".join(lines)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"
