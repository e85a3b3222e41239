"""Pure builders of the composer's prompts and keyboards."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import (
    ComposeAudience,
    ComposeCancel,
    ComposeConfirm,
    ComposeKind,
    ComposeMore,
    ComposePublic,
    ComposeQuestionType,
    ComposeTargetDone,
    ComposeTopic,
    ComposeVillage,
)
from bot.consultations.model import Consultation, Kind, QuestionType
from bot.core.config import Settings
from bot.core.i18n import N_, _, current_language
from bot.messaging.window import reach_lines
from bot.outreach.audience import TOPICS, VILLAGES
from handlers.telegram.keyboards import button

Screen = tuple[str, InlineKeyboardMarkup | None]


def prompt(step: str) -> str:
    prompts = {
        "title": _("New consultation. Send its title."),
        "summary": _(
            "Send a short summary citizens read before answering; you may send the draft "
            "document with the summary as its caption."
        ),
        "question": _("Send the question."),
        "next_question": _("Send the next question."),
        "options": _("Send the options, one per line (2 to 8)."),
        "opens": _('When does it open? Send "now" or a date and time, e.g. "8h sáng mai".'),
        "closes": _('When does it close? Send a date and time, e.g. "20/12 17:00".'),
    }
    return prompts[step]


QUESTION_TYPES = {
    QuestionType.SINGLE: N_("One choice"),
    QuestionType.MULTIPLE: N_("Several choices"),
    QuestionType.YESNO: N_("Agree / disagree / abstain"),
    QuestionType.COMMENT: N_("Free comment"),
}


def type_step(draft_id: int) -> Screen:
    rows = [
        [button(_(label), ComposeQuestionType(draft_id, kind.value))]
        for kind, label in QUESTION_TYPES.items()
    ]
    return _("How is this question answered?"), InlineKeyboardMarkup(rows)


def more_step(draft: Consultation) -> Screen:
    """The questions so far; add another or go on."""
    lines = [_("Questions so far:")]
    lines += [
        f"{i}. {escape(q.text)} ({_(QUESTION_TYPES[q.type])})"
        for i, q in enumerate(draft.questions, 1)
    ]
    rows = [
        [button(_("➕ Another question"), ComposeMore(draft.id, True))],
        [button(_("Continue ▶"), ComposeMore(draft.id, False))],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def public_step(draft_id: int) -> Screen:
    rows = [
        [button(_("Yes, show them with the result"), ComposePublic(draft_id, True))],
        [button(_("No, only officers read them"), ComposePublic(draft_id, False))],
    ]
    text = _(
        "Are comments public once moderated (answered by the commune), shown with the "
        "result and in /news? Names are never shown unless the citizen signs."
    )
    return text, InlineKeyboardMarkup(rows)


def kind_step(draft_id: int) -> Screen:
    rows = [
        [button(_(notices.KIND_NAMES[kind]), ComposeKind(draft_id, kind.value))] for kind in Kind
    ]
    return _("What kind of consultation?"), InlineKeyboardMarkup(rows)


def audience_step(settings: Settings, draft: Consultation) -> Screen:
    """Everyone, or villages and (except for a household decision) topics, toggled."""
    audience, did = draft.audience, draft.id

    def mark(kind: str, item: str) -> str:
        return "✅ " if audience.kind == kind and item in audience.ids else ""

    rows = [[button(_("Everyone"), ComposeAudience(did, None))]]
    rows += [
        [button(mark(VILLAGES, v.id) + v.name, ComposeVillage(did, v.id))]
        for v in settings.villages
    ]
    if draft.kind is not Kind.HOUSEHOLD:
        rows += [
            [
                button(
                    mark(TOPICS, t.id) + "🏷 " + t.name(current_language()), ComposeTopic(did, t.id)
                )
            ]
            for t in settings.topics
        ]
    rows.append([button(_("Continue ▶"), ComposeTargetDone(did))])
    text = _(
        "Who is asked? Press Everyone, or choose villages or topics (press again to "
        "remove), then Continue."
    )
    return text, InlineKeyboardMarkup(rows)


def preview(draft: Consultation, count: int, outside: int, settings: Settings) -> Screen:
    """The count under the invitation's preview; `outside`: citizens of the audience
    outside Zalo's window, not counted in `count` and not sent to."""
    if draft.kind is Kind.HOUSEHOLD:
        text = _("Above is the invitation as citizens will see it. Households: {n}.")
    else:
        text = _("Above is the invitation as citizens will see it. Recipients: {n}.")
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("✅ Open it"), ComposeConfirm(draft.id))],
            [button(_("✖ Cancel"), ComposeCancel(draft.id))],
        ]
    )
    return reach_lines(text.format(n=count), outside, settings), keyboard


def opened(consultation: Consultation, settings: Settings) -> str:
    return _("Opened as #{id}; the invitation is on its way. It closes on {when}.").format(
        id=consultation.id, when=notices.when(consultation.closes_at, settings.timezone)
    )
