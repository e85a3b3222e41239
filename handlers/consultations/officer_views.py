"""Pure builders of the officers' consultation screens."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import (
    CommentAct,
    ComposeNew,
    ConsultManage,
    ConsultSure,
    Manage,
    Moderate,
)
from bot.consultations.model import CHOICE_TYPES, Comment, Consultation, Moderation, State, Tally
from bot.core.config import Settings
from bot.core.i18n import _
from handlers.telegram.keyboards import button

Screen = tuple[str, InlineKeyboardMarkup | None]


def officer_list(found: list[Consultation], settings: Settings) -> Screen:
    lines = [_("🗳 <b>Consultations</b>")]
    if not found:
        lines.append(_("None yet."))
    rows = [[button(_("➕ New consultation"), ComposeNew())]]
    for c in found:
        state = _("open until {when}").format(when=notices.when(c.closes_at, settings.timezone))
        if c.state is State.CLOSED:
            state = _("closed")
        lines.append(f"#{c.id} {escape(c.title)} — {state}")
        rows.append([button(f"#{c.id} {c.title}"[:60], ConsultManage(c.id, Manage.TALLY))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def tally_screen(
    consultation: Consultation, tallies: Sequence[Tally], settings: Settings
) -> Screen:
    """The live tally with its latest comments (no names), and what the officer can do next."""
    villages = {v.id: v.name for v in settings.villages}
    lines = [notices.tally_text(consultation, tallies, villages)]
    if consultation.state is State.CLOSED:
        lines += ["", *notices.outcomes(consultation, tallies)]
    comments = [c for t in tallies for c in t.comments]
    if comments:
        lines += ["", _("Comments ({n}):").format(n=len(comments))]
        lines += [comment_line(c) for c in comments[-10:]]
    cid = consultation.id
    rows = [[button(_("🔄 Refresh"), ConsultManage(cid, Manage.TALLY))]]
    if comments:
        rows.append([button(_("💬 Comments"), ConsultManage(cid, Manage.COMMENTS))])
    if consultation.state in (State.OPEN, State.CLOSED):
        rows.append([button(_("📝 Paper ballots"), ConsultManage(cid, Manage.PAPER))])
    if consultation.state is State.OPEN:
        rows.append([
            button(_("⏳ Extend"), ConsultManage(cid, Manage.EXTEND)),
            button(_("🔒 Close now"), ConsultManage(cid, Manage.CLOSE)),
            button(_("✖ Cancel"), ConsultManage(cid, Manage.CANCEL)),
        ])  # fmt: skip
    rows.append([button(_("📄 Report (.docx)"), ConsultManage(cid, Manage.REPORT))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


MODERATION_MARKS = {
    Moderation.NEW: "🆕",
    Moderation.ANSWERED: "✅",
    Moderation.HIDDEN: "🙈",
    Moderation.CASE: "📂",
}


def comment_line(comment: Comment) -> str:
    signer = f" — {escape(comment.signer)}" if comment.signer else ""
    return f"{MODERATION_MARKS[comment.moderation]} {escape(comment.text)}{signer}"


def comments_screen(consultation: Consultation, comments: Sequence[Comment]) -> Screen:
    """The comments to moderate, a button each (named by number, never by author)."""
    lines = [_("💬 <b>Comments on {title}</b>").format(title=escape(consultation.title))]
    lines.append(_("🆕 new, ✅ answered publicly, 🙈 hidden, 📂 turned into a case."))
    rows = []
    for number, comment in enumerate(comments[-20:], 1):
        lines.append(f"{number}. {comment_line(comment)}")
        rows.append(
            [button(f"{number}. {comment.text}"[:60], CommentAct(comment.id, Moderate.SHOW))]
        )
    rows.append([button(_("◀ Back to the tally"), ConsultManage(consultation.id, Manage.TALLY))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def comment_screen(consultation: Consultation, comment: Comment) -> Screen:
    """One comment and what can be done with it."""
    lines = [comment_line(comment)]
    if comment.response:
        lines.append("↳ " + escape(comment.response))
    if comment.case_id is not None:
        lines.append(_("Turned into a case."))
    rows = []
    if consultation.public_comments:
        rows.append([button(_("↩️ Answer publicly"), CommentAct(comment.id, Moderate.RESPOND))])
    if comment.moderation is not Moderation.HIDDEN:
        rows.append([button(_("🙈 Hide"), CommentAct(comment.id, Moderate.HIDE))])
    if comment.case_id is None:
        rows.append([button(_("📂 Turn into a case"), CommentAct(comment.id, Moderate.CASE))])
    rows.append([button(_("◀ Back"), ConsultManage(consultation.id, Manage.COMMENTS))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def prompt(step: str, consultation: Consultation) -> str:
    if step == "paper":
        return paper_prompt(consultation)
    return _('Until when? Send the new closing date and time, e.g. "25/12 17:00".')


def paper_prompt(consultation: Consultation) -> str:
    """How to type paper totals; with several questions, the question's number first."""
    choices = [(i, q) for i, q in enumerate(consultation.questions) if q.type in CHOICE_TYPES]
    if len(consultation.questions) == 1:
        options = ", ".join(f"{i + 1}. {escape(o)}" for i, o in enumerate(consultation.options))
        return _(
            'Paper ballots for "{title}": send the village id, then the count for each '
            "option in this order ({options}), then an optional note after a semicolon, "
            'e.g. "dong-tam 40 12 ; village meeting 12/3".'
        ).format(title=escape(consultation.title), options=options)
    listed = "\n".join(
        f"{i + 1}. {escape(q.text)}: " + ", ".join(escape(o) for o in q.options) for i, q in choices
    )
    return _(
        'Paper ballots for "{title}": send the question\'s number, the village id, then the '
        "count for each option in order, then an optional note after a semicolon, "
        'e.g. "2 dong-tam 40 12 3 ; village meeting 12/3". Questions:\n{questions}'
    ).format(title=escape(consultation.title), questions=listed)


def are_you_sure(consultation: Consultation, what: Manage) -> Screen:
    if what is Manage.CLOSE:
        text = _('Close "{title}" now? Answers stop and the result is sent.')
        yes = _("Yes, close now")
    else:
        text = _('Cancel "{title}"? Everyone invited is told; the answers are not used.')
        yes = _("Yes, cancel it")
    keyboard = InlineKeyboardMarkup(
        [
            [button(yes, ConsultSure(consultation.id, what))],
            [button(_("No, go back"), ConsultManage(consultation.id, Manage.TALLY))],
        ]
    )
    return text.format(title=escape(consultation.title)), keyboard


def done_text(consultation: Consultation) -> str:
    if consultation.state is State.CLOSED:
        return _("Closed. The result goes to those who answered and to /news.")
    if consultation.state is State.CANCELLED:
        return _("Cancelled. Everyone invited is being told.")
    return _("Extended. Those who answered are told the new closing time.")


def when_problem(reason: str) -> str:
    problems = {
        "no_time": _("Please add a time, for example 8:00 or 8h."),
        "past": _("That moment has already passed."),
        "bad_date": _("That date or time does not exist."),
    }
    return problems.get(reason, _("I could not read that date and time."))
