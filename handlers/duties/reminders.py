"""Officers' duties: /duties, and the Done / attach report / Remind me tomorrow buttons.

Every button checks the role on the server (`DutyService.authorize_done`):
a citizen, or forged callback data, gets a refusal and an audit entry.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.core.i18n import N_, _, current_language
from bot.duties.actions import (
    DutyAttach,
    DutyConfirmDone,
    DutyDone,
    DutyKeepOpen,
    DutySnooze,
    DutyUndo,
)
from bot.duties.messages import done_note, due_text
from bot.duties.repository import Period
from bot.duties.service import UNDO_WINDOW, AgendaItem, AlreadyDone, TooLateToUndo
from bot.messaging.files import FileTooLarge
from bot.people.access import PermissionDenied
from bot.people.officers import Officer, Role
from handlers.people.officers import role_names
from handlers.telegram import commands, router
from handlers.telegram import files as telegram_files
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
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


def _duty_name(context: Context, period: Period) -> str:
    duty = services_of(context).duties.calendar.get(period.duty_id)
    return duty.name(current_language()) if duty else period.duty_id


async def press_done(update: Update, context: Context, action: DutyDone) -> Answer | None:
    """Ask first: a single tap used to close a duty with no way back."""
    duties = services_of(context).duties
    try:
        _officer, period = await duties.authorize_done(
            recipient_of(update, context), action.period_id
        )
    except (AlreadyDone, LookupError) as exc:
        return await _problem(context, exc)
    yes = button(_("✅ Yes, it is done"), DutyConfirmDone(period.id))
    no = button(_("✖️ No"), DutyKeepOpen(period.id))
    await reply(
        message_of(update),
        _("Mark “{duty}” as done?").format(duty=_duty_name(context, period)),
        InlineKeyboardMarkup([[yes, no]]),
    )
    return None


async def press_confirm(update: Update, context: Context, action: DutyConfirmDone) -> Answer | None:
    """Mark the duty's period done (its reminders stop), with a short while to undo it."""
    duties = services_of(context).duties
    try:
        officer, period = await duties.mark_done(recipient_of(update, context), action.period_id)
    except (AlreadyDone, LookupError) as exc:
        return await _problem(context, exc)
    assert period.done_at is not None
    name = _duty_name(context, period)
    note = done_note(current_language(), name, officer.name, period.done_at, duties.tz)
    minutes = int(UNDO_WINDOW.total_seconds() // 60)
    undo = button(_("↩️ Undo (for {minutes} minutes)").format(minutes=minutes), DutyUndo(period.id))
    await edit(update, context, note, InlineKeyboardMarkup([[undo]]))
    return Answer(_("Recorded. Thank you!"))


async def press_keep_open(update: Update, context: Context, action: DutyKeepOpen) -> Answer | None:
    await edit(update, context, _("Not marked: the duty stays open."))
    return None


async def press_undo(update: Update, context: Context, action: DutyUndo) -> Answer | None:
    """Reopen a period marked done by mistake; its reminders resume."""
    duties = services_of(context).duties
    try:
        _officer, period = await duties.undo_done(recipient_of(update, context), action.period_id)
    except TooLateToUndo:
        return Answer(_("It is too late to undo this; the duty stays done."), alert=True)
    except LookupError as exc:
        return await _problem(context, exc)
    name = _duty_name(context, period)
    await edit(
        update, context, _("↩️ “{duty}” is open again; its reminders resume.").format(duty=name)
    )
    return Answer(_("Undone."))


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
        done_note(
            current_language(), _duty_name(context, period), officer.name, period.done_at, duties.tz
        )
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
    router.route(application, DutyConfirmDone, press_confirm)
    router.route(application, DutyKeepOpen, press_keep_open)
    router.route(application, DutyUndo, press_undo)
    router.route(application, DutyAttach, press_attach)
    router.route(application, DutySnooze, press_snooze)
    files = filters.Document.ALL | filters.PHOTO
    application.add_handler(MessageHandler(private & awaiting & files, receive_file))
