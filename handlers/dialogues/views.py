"""Pure builders of the dialogue screens: texts (HTML, values escaped) and keyboards."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.cases.model import TOPIC_NAMES, Topic
from bot.core.config import Settings
from bot.core.i18n import _, current_language
from bot.dialogues import notices
from bot.dialogues.actions import (
    DialogueAsk,
    DialogueAudience,
    DialogueAudienceDone,
    DialogueBrowse,
    DialogueConfirm,
    DialogueDiscard,
    DialogueManage,
    DialogueNew,
    DialoguePublic,
    DialogueSigned,
    DialogueSupport,
    DialogueSure,
    DialogueTopic,
    DialogueVoice,
    Manage,
    Scope,
)
from bot.dialogues.model import Dialogue, Kind, Question, State
from bot.messaging.window import reach_lines
from bot.outreach.audience import ALL, TOPICS, VILLAGES
from handlers.telegram.keyboards import button, confirm_keyboard, rows

Screen = tuple[str, InlineKeyboardMarkup | None]
SHOWN = 30  # questions on one screen: the most asked; the .docx report has them all


# Citizens.
def citizen_list(found: Sequence[Dialogue], tz: ZoneInfo) -> Screen:
    if not found:
        return _("No dialogue or voter meeting is taking questions now."), None
    lines, keyboard = [_("🗣 Dialogues and voter meetings:")], []
    for dialogue in found:
        lines += ["", notices.heading(dialogue), *notices.details(dialogue, tz)]
        lines.append(
            _("Questions until {when}").format(when=notices.when(dialogue.questions_close_at, tz))
        )
        keyboard.append(
            [
                button(_("❓ Ask #{id}").format(id=dialogue.id), DialogueAsk(dialogue.id)),
                button(_("📋 Questions #{id}").format(id=dialogue.id), DialogueBrowse(dialogue.id)),
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def ask_prompt(dialogue: Dialogue) -> str:
    return _("Your question to “{title}”: write it in one message, or send a voice note.").format(
        title=escape(dialogue.title)
    )


def topic_step(dialogue_id: int) -> Screen:
    buttons = [button(_(TOPIC_NAMES[t]), DialogueTopic(dialogue_id, t.value)) for t in Topic]
    return _("What is it about?"), InlineKeyboardMarkup(rows(buttons, 2))


def signed_step(dialogue_id: int) -> Screen:
    keyboard = confirm_keyboard(
        (_("✍ Sign with my name"), DialogueSigned(dialogue_id, True)),
        (_("🕶 Anonymous"), DialogueSigned(dialogue_id, False)),
    )
    text = _(
        "Sign it with your name, or send it anonymously? Officers never see the name of an "
        "anonymous question; the answer still reaches you."
    )
    return text, keyboard


def public_step(dialogue_id: int) -> Screen:
    keyboard = confirm_keyboard(
        (_("👁 Yes, show it"), DialoguePublic(dialogue_id, True)),
        (_("🔒 No, only officers"), DialoguePublic(dialogue_id, False)),
    )
    text = _(
        "May other citizens read it (never with your name) and add “me too”? "
        "Questions many people ask are answered first."
    )
    return text, keyboard


def received(dialogue: Dialogue, number: int, anonymous: bool, public: bool) -> str:
    lines = [
        _("✅ Your question #{n} to “{title}” was received.").format(
            n=number, title=escape(dialogue.title)
        ),
        _("Sent anonymously.") if anonymous else _("Signed with your name."),
        _("Shown to other citizens, without your name.") if public else _("Only officers read it."),
        _("You will get the answer here."),
    ]
    return "\n".join(lines)


def public_list(dialogue: Dialogue, questions: Sequence[Question], citizen_id: int) -> Screen:
    """Others' public questions, most asked first, each with a "me too" button."""
    if not questions:
        return _("No public question for “{title}” yet.").format(title=escape(dialogue.title)), None
    lines = [_("📋 Questions to “{title}”, most asked first:").format(title=escape(dialogue.title))]
    keyboard = []
    for q in questions[:SHOWN]:
        state = " ✅" if q.answered else ""
        lines.append(
            f"\n<b>#{q.number}</b> · 🙋 {q.weight}{state}\n{escape(notices.public_text(q))}"
        )
        if q.citizen_id != citizen_id and not q.answered:
            keyboard.append([button(_("🙋 Me too #{n}").format(n=q.number), DialogueSupport(q.id))])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard) if keyboard else None


# Officers.
def officer_list(found: Sequence[Dialogue], tz: ZoneInfo) -> Screen:
    lines = [_("🗣 Dialogues and voter meetings")]
    keyboard = [
        [button(f"#{d.id} {d.title}"[:60], DialogueManage(d.id, Manage.QUESTIONS))] for d in found
    ]
    for d in found:
        state = (
            _("finished")
            if d.state is State.FINISHED
            else _("taking questions until {when}").format(
                when=notices.when(d.questions_close_at, tz)
            )
        )
        lines.append(f"• #{d.id} {escape(d.title)} — {notices.when(d.starts_at, tz)} ({state})")
    if not found:
        lines.append(_("None yet."))
    keyboard.append([button(_("➕ New dialogue"), DialogueNew(Kind.DIALOGUE.value))])
    keyboard.append([button(_("➕ New voter meeting"), DialogueNew(Kind.VOTER_MEETING.value))])
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def question_line(q: Question) -> str:
    """One question as officers read it: never a name for an anonymous question."""
    marks = [f"<b>#{q.number}</b>", f"🙋 {q.weight}"]
    if q.at_meeting:
        marks.append(_("📌 at the meeting"))
    if q.group_lead is not None:
        marks.append(_("🔗 with #{n}").format(n=q.group_lead))
    if q.answered:
        marks.append(_("✅ answered"))
    if q.case_code:
        marks.append(_("case {code}").format(code=q.case_code))
    if q.voice:
        marks.append("🎤")
    who = _("anonymous") if q.anonymous else escape(q.asker or _("(erased)"))
    visibility = _("public") if q.public else _("not public")
    text = escape(q.text or _(notices.VOICE_ONLY))
    return f"{' · '.join(marks)}\n{text}\n<i>{who} · {escape(_(TOPIC_NAMES[q.topic]))} · {visibility}</i>"


def manage_screen(dialogue: Dialogue, questions: Sequence[Question], tz: ZoneInfo) -> Screen:
    lines = [notices.heading(dialogue), *notices.details(dialogue, tz)]
    answered = sum(1 for q in questions if q.answered)
    lines.append(
        _("Questions: {n}, answered: {a}. Most asked first:").format(n=len(questions), a=answered)
    )
    lines += ["\n" + question_line(q) for q in questions[:SHOWN]]
    keyboard = []
    if dialogue.state is State.OPEN:
        manage = [
            (_("🔗 Group"), Manage.GROUP), (_("📌 Mark for the meeting"), Manage.MARK),
            (_("✍ Answer"), Manage.ANSWER), (_("🏁 Finish"), Manage.FINISH),
        ]  # fmt: skip
        keyboard += rows([button(t, DialogueManage(dialogue.id, w)) for t, w in manage], 2)
    keyboard.append([button(_("📄 Report (.docx)"), DialogueManage(dialogue.id, Manage.REPORT))])
    if dialogue.state is State.OPEN:
        keyboard.append(
            [button(_("✖ Cancel the meeting"), DialogueManage(dialogue.id, Manage.CANCEL))]
        )
    voices = [button(f"🎤 #{q.number}", DialogueVoice(q.id)) for q in questions[:SHOWN] if q.voice]
    keyboard += rows(voices, 4)
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def manage_prompt(what: Manage) -> str:
    prompts = {
        Manage.GROUP: _(
            "Send the numbers of similar questions to answer together, the main one first, "
            'e.g. "3 5 8". One number alone takes that question out of its group.'
        ),
        Manage.MARK: _(
            'Send the numbers of the questions to answer at the meeting, e.g. "3 5". Sending a marked one again unmarks it.'
        ),
        Manage.ANSWER: _(
            'Send the question number, a colon, then the answer given, e.g. "3: The road is repaired in May." '
            "Everyone who asked it, or its group, or said “me too”, gets it."
        ),
    }
    return prompts[what]


def are_you_sure(dialogue: Dialogue, what: Manage) -> Screen:
    if what is Manage.FINISH:
        text = _(
            "Finish “{title}”? Every question not answered becomes a case with the usual "
            "deadline, and its asker is told the code; the answers go to /news."
        )
        yes = _("Yes, finish")
    else:
        text = _("Cancel “{title}”? Everyone it was announced to is told.")
        yes = _("Yes, cancel it")
    keyboard = confirm_keyboard(
        (yes, DialogueSure(dialogue.id, what)),
        (_("No"), DialogueManage(dialogue.id, Manage.QUESTIONS)),
    )
    return text.format(title=escape(dialogue.title)), keyboard


def finished(dialogue: Dialogue, questions: Sequence[Question]) -> Screen:
    answered = sum(1 for q in questions if q.answered)
    cases = [q for q in questions if q.case_code]
    lines = [
        _("🏁 “{title}” is finished. Answered: {a}. Became cases: {c}.").format(
            title=escape(dialogue.title), a=answered, c=len(cases)
        )
    ]
    lines += [f"• #{q.number} → {q.case_code}" for q in cases]
    lines.append(_("The answered public questions are in /news."))
    report = button(_("📄 Report (.docx)"), DialogueManage(dialogue.id, Manage.REPORT))
    return "\n".join(lines), InlineKeyboardMarkup([[report]])


def answered(questions: Sequence[Question]) -> str:
    numbers = ", ".join(f"#{q.number}" for q in questions)
    return _("✅ Answer recorded for {numbers}; the askers and supporters are told.").format(
        numbers=numbers
    )


# The composer.
def compose_prompt(step: str, kind: Kind) -> str:
    prompts = {
        "title": _("New {kind}. Send its title.").format(kind=_(notices.KIND_NAMES[kind]).lower()),
        "starts": _('When is it held? Send a date and time, e.g. "20/12 8:00".'),
        "place": _("Where is it held?"),
        "attendees": (
            _('Who attends? e.g. "Chủ tịch UBND xã Nguyễn Văn A".')
            if kind is Kind.DIALOGUE
            else _('Who attends? Name the People\'s Council deputies, e.g. "Đại biểu HĐND xã: …".')
        ),
        "closes": _(
            'Until when are questions taken? Send a date and time before the meeting, e.g. "18/12 17:00".'
        ),
    }
    return prompts[step]


def audience_step(settings: Settings, draft: Dialogue) -> Screen:
    audience, language = draft.audience, current_language()

    def mark(kind: str, item: str | None) -> str:
        on = audience.kind == ALL if kind == ALL else audience.kind == kind and item in audience.ids
        return "✅ " if on else "▫️ "

    keyboard = [
        [button(mark(ALL, None) + _("Everyone"), DialogueAudience(draft.id, Scope.ALL, None))]
    ]
    keyboard += rows(
        [
            button(mark(VILLAGES, v.id) + v.name, DialogueAudience(draft.id, Scope.VILLAGE, v.id))
            for v in settings.villages
        ],
        2,
    )
    keyboard += rows(
        [
            button(
                mark(TOPICS, t.id) + t.name(language), DialogueAudience(draft.id, Scope.TOPIC, t.id)
            )
            for t in settings.topics
        ],
        2,
    )
    keyboard.append([button(_("Done"), DialogueAudienceDone(draft.id))])
    return _(
        "Who is it announced to? Everyone, villages, or the followers of topics."
    ), InlineKeyboardMarkup(keyboard)


def preview(draft: Dialogue, count: int, outside: int, settings: Settings) -> Screen:
    """The count under the announcement's preview; `outside`: citizens of the audience
    outside Zalo's window, not counted in `count` and not sent to."""
    text = _("Above is the announcement as citizens will see it. Recipients: {n}.").format(n=count)
    text = reach_lines(text, outside, settings)
    keyboard = InlineKeyboardMarkup(
        [
            [button(_("✅ Announce"), DialogueConfirm(draft.id))],
            [button(_("✖ Discard"), DialogueDiscard(draft.id))],
        ]
    )
    return text, keyboard


def announced(dialogue: Dialogue, tz: ZoneInfo) -> str:
    return _(
        "Announced as #{id}; questions are taken until {when}. Send /dialogue to follow them."
    ).format(id=dialogue.id, when=notices.when(dialogue.questions_close_at, tz))
