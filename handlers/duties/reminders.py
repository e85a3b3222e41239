"""Officers' duties: /duties, and the Done / attach report / Remind me tomorrow buttons.

Every button checks the role on the server (`DutyService.authorize_done`):
a citizen, or forged callback data, gets a refusal and an audit entry.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.i18n import N_, _, current_language
from bot.duties.actions import DutyAttach, DutyDone, DutySnooze
from bot.duties.messages import done_note, due_text
from bot.duties.service import AgendaItem, AlreadyDone
from bot.messaging.files import FileTooLarge
from bot.messaging.markup import Markup
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from handlers.people.officers import role_names
from handlers.telegram import commands, router
from handlers.telegram import files as telegram_files
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    query_of,
    recipient_of,
)
from handlers.telegram.common import services as services_of
from handlers.telegram.conversation import InFlow
from handlers.telegram.guard import officer_only, refuse
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

# The conversation of an officer who pressed "attach the report" and still owes
# the file: {"period": its id}. In the store, so a restart keeps the request.
FLOW = "duty_report"
_LABEL_LIMIT = 40


def agenda_text(items: list[AgendaItem], chairman: bool, language: str, tz: ZoneInfo) -> str:
    """The /duties list, soonest first, overdue ones marked, dates in the officer's language."""
    if not items:
        return _("You have no recurring duties.")
    lines = [_("Duties of every officer:") if chairman else _("Your duties:")]
    for item in items:
        owner = f" ({role_names(frozenset({item.duty.role}))})" if chairman else ""
        mark = "🔴" if item.overdue else "🗓"
        when = due_text(item.due, tz)
        status = _("overdue since {when}") if item.overdue else _("due {when}")
        lines.append(f"{mark} {item.duty.name(language)}{owner}\n    {status.format(when=when)}")
    return "\n".join(lines)


def agenda_keyboard(items: list[AgendaItem], language: str) -> InlineKeyboardMarkup | None:
    """A Done button for every listed period that exists (is due soon or overdue)."""
    rows = []
    for item in items:
        if item.period_id is None:
            continue
        name = item.duty.name(language)
        label = "✅ " + (name if len(name) <= _LABEL_LIMIT else name[: _LABEL_LIMIT - 1] + "…")
        rows.append([button(label, DutyDone(item.period_id))])
    return InlineKeyboardMarkup(rows) if rows else None


@officer_only("command:duties")
async def list_duties(update: Update, context: Context, officer: Officer) -> None:
    """Show the officer's upcoming and overdue duties (everyone's to the chairman)."""
    duties = services_of(context).duties
    items = await duties.agenda(officer)
    language = current_language()
    chairman = Role.CHAIRMAN in officer.roles
    await reply(
        message_of(update),
        agenda_text(items, chairman, language, duties.tz),
        agenda_keyboard(items, language),
    )


async def _problem(context: Context, exc: Exception) -> Answer:
    """Done already, or gone from the calendar (a refusal is the router's to say)."""
    duties = services_of(context).duties
    if isinstance(exc, AlreadyDone):
        name = await duties.officer_name(exc.period.done_by)
        when = due_text(exc.period.done_at or exc.period.due, duties.tz)
        return Answer(_("Already done by {name} on {when}.").format(name=name, when=when))
    return Answer(_("This duty is no longer on the calendar."), alert=True)


async def _close_message(update: Update, context: Context, note: Markup) -> None:
    """Append the done note to the pressed message and take its buttons away."""
    message = query_of(update).message
    if not isinstance(message, Message) or not message.text:
        return
    # Telegram gives the reminder back as its HTML, which is markup of ours.
    full = Markup("{}\n\n{}").format(Markup(message.text_html), note)
    await edit(update, context, full, instead=note)  # the note alone, if sent anew


async def press_done(update: Update, context: Context, action: DutyDone) -> Answer | None:
    """Mark the duty's period done: its reminders stop."""
    duties = services_of(context).duties
    try:
        officer, period = await duties.mark_done(recipient_of(update, context), action.period_id)
    except (AlreadyDone, LookupError) as exc:
        return await _problem(context, exc)
    assert period.done_at is not None
    note = done_note(current_language(), officer.name, period.done_at, duties.tz)
    await _close_message(update, context, note)
    return Answer(_("Recorded. Thank you!"))


async def press_attach(update: Update, context: Context, action: DutyAttach) -> Answer | None:
    """Ask for the report file; the period is closed when it arrives."""
    duties = services_of(context).duties
    period_id = action.period_id
    try:
        await duties.authorize_done(recipient_of(update, context), period_id)
    except (AlreadyDone, LookupError) as exc:
        return await _problem(context, exc)
    await services_of(context).conversations.put(
        recipient_of(update, context), FLOW, {"period": period_id}
    )
    await message_of(update).reply_text(
        _("Please send the report now, as a file or a photo. It is kept with the duty.")
    )
    return None


async def receive_file(update: Update, context: Context) -> None:
    """Close the awaited period with the file the officer sent."""
    message, svc, who = message_of(update), services_of(context), recipient_of(update, context)
    try:  # kept by the bot before the period is closed with it
        attachment = await telegram_files.attachment_of(context.bot, svc.files, message)
    except FileTooLarge as exc:
        await message.reply_text(telegram_files.too_large(exc))
        return
    period_id = int((await svc.conversations.get(who, FLOW) or {}).get("period", 0))
    duties = svc.duties
    try:
        officer, period = await duties.mark_done(who, period_id, attachment)
    except PermissionDenied:
        await refuse(update)
        return
    except AlreadyDone:
        await message.reply_text(_("This duty was already marked done; the file was not kept."))
        return
    except LookupError:
        await message.reply_text(_("This duty is no longer on the calendar."))
        return
    finally:  # after the period is closed: a crash before it keeps the request
        await svc.conversations.clear(who, FLOW)
    assert period.done_at is not None
    await reply(
        message,
        done_note(current_language(), officer.name, period.done_at, duties.tz)
        + "\n"
        + _("The report was kept with the duty."),
    )


async def press_snooze(update: Update, context: Context, action: DutySnooze) -> Answer | None:
    """Hold this officer's reminders of the period until the same time tomorrow."""
    duties = services_of(context).duties
    try:
        until = await duties.snooze(recipient_of(update, context), action.period_id)
    except (AlreadyDone, LookupError) as exc:
        return await _problem(context, exc)
    text = _("I will remind you again on {when}.").format(when=due_text(until, duties.tz))
    return Answer(text, alert=True)


def register(application: TelegramApp) -> None:
    commands.declare("duties", N_("Your recurring duties and their due dates"), *Role, order=120)
    # Narrow on purpose: other features (cases) also take documents and photos
    # and must keep getting them. A report forwarded from a colleague counts.
    awaiting = InFlow(application, FLOW, forwards=True)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("duties", list_duties, private))
    router.route(application, DutyDone, press_done)
    router.route(application, DutyAttach, press_attach)
    router.route(application, DutySnooze, press_snooze)
    files = filters.Document.ALL | filters.PHOTO
    application.add_handler(MessageHandler(private & awaiting & files, receive_file))
