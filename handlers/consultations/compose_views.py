"""Pure builders of the composer's prompts and keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import ComposeAudience, ComposeCancel, ComposeConfirm, ComposeKind
from bot.consultations.model import Consultation, Kind
from bot.core.config import Settings
from bot.core.i18n import _
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
        "options": _("Send the options, one per line (2 to 8)."),
        "opens": _('When does it open? Send "now" or a date and time, e.g. "8h sáng mai".'),
        "closes": _('When does it close? Send a date and time, e.g. "20/12 17:00".'),
    }
    return prompts[step]


def kind_step(draft_id: int) -> Screen:
    rows = [
        [button(_(notices.KIND_NAMES[kind]), ComposeKind(draft_id, kind.value))] for kind in Kind
    ]
    return _("What kind of consultation?"), InlineKeyboardMarkup(rows)


def audience_step(settings: Settings, draft_id: int) -> Screen:
    rows = [[button(_("Everyone"), ComposeAudience(draft_id, None))]]
    rows += [[button(v.name, ComposeAudience(draft_id, v.id))] for v in settings.villages]
    return _("Who is asked?"), InlineKeyboardMarkup(rows)


def preview(draft: Consultation, count: int) -> Screen:
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
    return text.format(n=count), keyboard


def opened(consultation: Consultation, settings: Settings) -> str:
    return _("Opened as #{id}; the invitation is on its way. It closes on {when}.").format(
        id=consultation.id, when=notices.when(consultation.closes_at, settings.timezone)
    )
