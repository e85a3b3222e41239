"""A citizen's follow-up actions: add information, rate and comment, reopen, formal routes."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.cases.actions import TrackRate, TrackSendInfo, TrackSkipComment
from bot.cases.core import CaseError, WrongState
from bot.cases.drafts import TRACK, file_from_data, file_to_data
from bot.cases.model import Case, Location
from bot.cases.reception import next_reception
from bot.core.dates import long_date
from bot.core.i18n import N_, _
from handlers.cases.common import (
    error_text,
    incoming_location,
    take_file,
    too_long,
)
from handlers.cases.views import reception_when
from handlers.telegram.common import Context, message_of, recipient_of, services
from handlers.telegram.keyboards import button
from handlers.telegram.replies import edit


async def start_add(update: Update, context: Context, case: Case) -> str:
    if not case.status.open:
        raise WrongState(N_("This case is closed. You can reopen it or send a new one."))
    draft = {"action": "add", "case": case.id, "text": "", "files": [], "location": None}
    await services(context).conversations.put(recipient_of(update, context), TRACK, draft)
    text = _(
        "Send the information for case {code}: text, photos, documents or a location. "
        "Choose Send when you are done."
    ).format(code=case.code)
    markup = InlineKeyboardMarkup([[button(_("📨 Send"), TrackSendInfo(case.id))]])
    await message_of(update).reply_text(text, reply_markup=markup)
    return ""


async def send_info(update: Update, context: Context, case: Case) -> str:
    """Add what the citizen prepared to the case; the office is told."""
    svc = services(context)
    data = await svc.conversations.get(recipient_of(update, context), TRACK)
    if data is None or data.get("action") != "add" or data.get("case") != case.id:
        raise WrongState(N_("This choice is out of date."))
    if not data["text"] and not data["files"] and not data["location"]:
        return _("Nothing to send yet: type or attach the information first.")
    files = [file_from_data(f) for f in data["files"]]
    loc = data["location"]
    location = Location(loc["latitude"], loc["longitude"]) if loc else None
    await svc.cases.add_info(recipient_of(update, context), case.id, data["text"], files, location)
    await svc.conversations.clear(recipient_of(update, context))
    await message_of(update).reply_text(
        _("Thank you. The information was added to case {code} and the office was told.").format(
            code=case.code
        )
    )
    return _("Sent.")


async def rate(update: Update, context: Context, case: Case, stars: int) -> str:
    """Record the stars, then offer to add a comment."""
    svc = services(context)
    await svc.cases.rate(recipient_of(update, context), case.id, stars)
    await svc.conversations.put(
        recipient_of(update, context), TRACK, {"action": "comment", "case": case.id}
    )
    markup = InlineKeyboardMarkup([[button(_("Skip"), TrackSkipComment(case.id))]])
    await message_of(update).reply_text(
        _("Thank you for rating. Would you like to add a comment? Type it, or choose Skip."),
        reply_markup=markup,
    )
    return _("Thank you!")


async def skip_comment(update: Update, context: Context, case: Case) -> str:
    await services(context).conversations.clear(recipient_of(update, context))
    if update.callback_query is not None:
        await edit(update, context, _("Thank you for your rating."))
    return ""


async def clear(update: Update, context: Context, case: Case) -> str:
    """The answer helped: offer the 1-5 rating."""
    if case.rating is not None:
        return _("You have already rated this case. Thank you!")
    stars = [button("⭐" * n, TrackRate(case.id, n)) for n in range(1, 6)]
    await message_of(update).reply_text(
        _("Glad it is clear. How satisfied are you with how it was handled? Rate from 1 to 5:"),
        reply_markup=InlineKeyboardMarkup([stars[:3], stars[3:]]),
    )
    return ""


async def unclear(update: Update, context: Context, case: Case) -> str:
    """The answer did not help: the citizen types what is unclear, for the office."""
    draft = {"action": "unclear", "case": case.id}
    await services(context).conversations.put(recipient_of(update, context), TRACK, draft)
    await message_of(update).reply_text(
        _(
            "What is still unclear? Type it and it will be added to case {code} (or send /cancel)."
        ).format(code=case.code)
    )
    return ""


async def start_reopen(update: Update, context: Context, case: Case) -> str:
    if not services(context).cases.can_reopen(case):
        raise WrongState(
            N_("This case can no longer be reopened. Please send a new one with /feedback.")
        )
    draft = {"action": "reopen", "case": case.id}
    await services(context).conversations.put(recipient_of(update, context), TRACK, draft)
    await message_of(update).reply_text(
        _("Please tell us why you are not satisfied (or send /cancel):")
    )
    return ""


async def petition(update: Update, context: Context, case: Case) -> str:
    """Send the pre-filled petition to print and sign."""
    # Here, not at the top: python-docx loads when a petition is printed, not at start-up.
    from bot.cases.petition_form import filename, petition_docx

    if not case.kind.formal:
        raise WrongState(N_("This choice is out of date."))
    svc = services(context)
    village = svc.settings.village(case.village_id)
    data = petition_docx(
        case,
        svc.settings.commune_name,
        village.name if village else "",
        svc.cases.today(),
    )
    caption = _("Print this petition, check it, sign it and hand it in at the commune office.")
    await message_of(update).reply_document(data, filename=filename(case), caption=caption)
    return ""


async def reception(update: Update, context: Context, case: Case) -> str:
    svc = services(context)
    tz = svc.settings.timezone
    slot = next_reception(
        svc.clock.now().astimezone(tz), svc.cases.config.reception, svc.cases.calendar
    )
    text = _("The next citizen reception day is {when}, at {place}. Bring this code: {code}.")
    await message_of(update).reply_text(
        text.format(when=reception_when(slot, tz), place=slot.place, code=case.code)
    )
    return ""


async def on_message(update: Update, context: Context) -> None:
    """Take what the citizen typed for the follow-up action in progress."""
    data = await services(context).conversations.get(recipient_of(update, context), TRACK)
    if data is None:
        return
    if data["action"] == "add":
        await _collect(update, context, data)
    else:
        await _reason(update, context, data)


async def _collect(update: Update, context: Context, data: dict[str, Any]) -> None:
    message = message_of(update)
    location = incoming_location(message)
    words = (message.text or message.caption or "").strip()
    # Words past the limit refuse the message before its file is downloaded.
    refusal = too_long(f"{data['text']}\n{words}".strip())
    file, taken = (None, None) if refusal else await take_file(context, message)
    refusal = refusal or taken
    if refusal or (file is None and location is None and not words):
        await message.reply_text(
            refusal or _("Please send text, a photo, a document or a location, or choose Send.")
        )
        return
    if file is not None:
        data["files"].append(file_to_data(file))
    if location is not None:
        data["location"] = {"latitude": location.latitude, "longitude": location.longitude}
    if words:
        data["text"] = f"{data['text']}\n{words}".strip()
    await services(context).conversations.put(recipient_of(update, context), TRACK, data)
    case = await services(context).cases.own(recipient_of(update, context), int(data["case"]))
    markup = InlineKeyboardMarkup([[button(_("📨 Send"), TrackSendInfo(case.id))]])
    await message.reply_text(_("Added. Send more, or choose Send."), reply_markup=markup)


async def _reason(update: Update, context: Context, data: dict[str, Any]) -> None:
    """A comment on the rating, or the reason for reopening."""
    svc = services(context)
    message = message_of(update)
    text = (message.text or "").strip()
    refusal = too_long(text) if text else _("Please type it in words, or send /cancel.")
    if refusal:
        await message.reply_text(refusal)
        return
    try:
        if data["action"] == "reopen":
            case = await svc.cases.reopen(recipient_of(update, context), int(data["case"]), text)
            reply = _("Case {code} is reopened and the office was told. New deadline: {date}.")
        elif data["action"] == "unclear":
            case = await svc.cases.unclear(recipient_of(update, context), int(data["case"]), text)
            reply = _("Thank you. Your question was added to case {code} and the office was told.")
        else:
            case = await svc.cases.comment(recipient_of(update, context), int(data["case"]), text)
            reply = _("Thank you for your comment on case {code}.")
    except CaseError as exc:
        await message.reply_text(error_text(exc))
        return
    finally:
        await svc.conversations.clear(recipient_of(update, context))
    await message.reply_text(reply.format(code=case.code, date=long_date(case.due_on)))
