"""The words an officer types for a case (question, answer, reason), and sending them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.cases.actions import CaseResolveNow, CaseSendAnswer
from bot.cases.core import CaseError
from bot.cases.drafts import OFFICER, file_from_data, file_to_data
from bot.cases.model import Case, Status
from bot.cases.notices import answer_waits, status_name, waiting_line
from bot.core.i18n import _
from bot.messaging.markup import join
from bot.people.access import PermissionDenied
from bot.people.officers import Officer
from handlers.cases.common import error_text, take_file, too_long
from handlers.faq import cases as faq_cases
from handlers.public_answers import officer as public_answers_officer
from handlers.telegram.channel import reply_channel
from handlers.telegram.common import Context, message_of, recipient_of, services
from handlers.telegram.guard import refuse
from handlers.telegram.keyboards import button

CLOSING = {"trf": Status.TRANSFERRED, "res": Status.RESOLVED, "rej": Status.REJECTED}


def prompt_buttons(action: str, case: Case) -> InlineKeyboardMarkup | None:
    if action == "ans":
        send = button(_("📨 Send the answer"), CaseSendAnswer(case.id))
        return InlineKeyboardMarkup([[send]])
    if action == "res":
        now = button(_("✔️ Resolve without a note"), CaseResolveNow(case.id))
        return InlineKeyboardMarkup([[now]])
    return None


async def send_case(update: Update, context: Context, case: Case, officer: Officer) -> None:
    """One message: the case card with its timeline; its files behind a button."""
    svc = services(context)
    channel = reply_channel(context)
    events = await svc.cases.repo.events(case.id)
    view = svc.cases.case_view(case, officer, events)
    if case.reporter is not None and await svc.outbox.held(case.reporter):
        view = replace(view, text=join("\n\n", [view.text, waiting_line()]))
    await channel.send(recipient_of(update, context), view)


async def send_files(update: Update, context: Context, case: Case) -> None:
    """The case's photos, voice notes and documents, when the officer asks for them."""
    svc = services(context)
    channel = reply_channel(context)
    events = await svc.cases.repo.events(case.id)
    for message in svc.cases.files_view(case, events):
        await channel.send(recipient_of(update, context), message)


async def on_message(update: Update, context: Context) -> None:
    """Take the officer's words for the pending action; an answer collects files too."""
    svc = services(context)
    data = await svc.conversations.get(recipient_of(update, context), OFFICER)
    if data is None:
        return
    message = message_of(update)
    if data["action"] == "ans":
        await _collect(update, context, data)
        return
    text = (message.text or "").strip()
    refusal = too_long(text) if text else _("Please type the text, or send /cancel.")
    if refusal:
        await message.reply_text(refusal)
        return
    try:
        case = await _act(update, context, data, text)
    except PermissionDenied:
        await refuse(update)
        return
    except CaseError as exc:
        await message.reply_text(error_text(exc))
        return
    finally:
        await svc.conversations.clear(recipient_of(update, context))
    await message.reply_text(
        _("Done: case {code} is now “{status}”.").format(
            code=case.code, status=status_name(case.status)
        )
    )


async def _act(update: Update, context: Context, data: dict[str, Any], text: str) -> Case:
    cases = services(context).cases
    case_id = int(data["case"])
    if data["action"] == "ask":
        return await cases.ask_info(recipient_of(update, context), case_id, text)
    return await cases.close(recipient_of(update, context), case_id, CLOSING[data["action"]], text)


async def _collect(update: Update, context: Context, data: dict[str, Any]) -> None:
    """Add a text, photo or document to the answer being prepared."""
    message = message_of(update)
    words = (message.text or message.caption or "").strip()
    # Words past the limit refuse the message before its file is downloaded.
    refusal = too_long(f"{data['text']}\n{words}".strip())
    file, taken = (None, None) if refusal else await take_file(context, message)
    refusal = refusal or taken
    if refusal or (file is None and not words):
        await message.reply_text(refusal or _("Please send text, a photo or a document."))
        return
    if file is not None:
        data["files"].append(file_to_data(file))
    if words:
        data["text"] = f"{data['text']}\n{words}".strip()
    await services(context).conversations.put(recipient_of(update, context), OFFICER, data)
    case = await services(context).cases.get(int(data["case"]))
    await message.reply_text(
        _("Added to the answer. Send more, or press Send."),
        reply_markup=prompt_buttons("ans", case),
    )


async def send_answer(update: Update, context: Context, action: CaseSendAnswer) -> str:
    """Relay the prepared answer to the citizen."""
    svc, case_id = services(context), action.case_id
    data = await svc.conversations.get(recipient_of(update, context), OFFICER)
    if data is None or data.get("action") != "ans" or data.get("case") != case_id:
        raise ValueError("no answer prepared")
    if not data["text"] and not data["files"]:
        return _("The answer is empty: type it first.")
    files = [file_from_data(f) for f in data["files"]]
    text = data["text"] or _("Please see the attached file(s).")
    case = await svc.cases.answer(recipient_of(update, context), case_id, text, files)
    await svc.conversations.clear(recipient_of(update, context))
    # A typed answer to a question can become an FAQ entry with one more press,
    # one to feedback or a petition a public answer (after a preview).
    publish = None
    if data["text"]:
        publish = await faq_cases.publish_offer(context, case)
        publish = publish or await public_answers_officer.publish_offer(context, case)
    # The window (Zalo OA) is judged as the answer is queued: it waits when closed.
    waits = case.reporter is not None and await svc.outbox.outside_now(case.reporter)
    await message_of(update).reply_text(
        answer_waits(case)
        if waits
        else _("The answer to case {code} was sent to the citizen.").format(code=case.code),
        reply_markup=publish,
    )
    return _("Sent.")


async def resolve_now(update: Update, context: Context, action: CaseResolveNow) -> str:
    svc = services(context)
    case = await svc.cases.close(recipient_of(update, context), action.case_id, Status.RESOLVED)
    await svc.conversations.clear(recipient_of(update, context))
    await message_of(update).reply_text(
        _("Case {code} is resolved; the citizen can now rate it.").format(code=case.code)
    )
    return _("Resolved.")
