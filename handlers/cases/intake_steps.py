"""The /feedback form's steps that take a message, and its last buttons (consent, send)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Update
from telegram.error import TelegramError

from bot.cases.actions import Consent, IntakeConsent, IntakeFilesDone, IntakeRestart, IntakeSend
from bot.cases.contacts import parse_contact, shared_contact
from bot.cases.model import Contact, Draft
from bot.cases.reception import next_reception
from bot.cases.service import MAX_TEXT
from bot.core.i18n import N_, _, current_language
from handlers.cases.common import has_file, incoming_location, save, take_file, too_long
from handlers.cases.views import (
    Step,
    consent_step,
    contact_step,
    description_step,
    files_step,
    formal_routes,
    kind_step,
    review_step,
    submitted_text,
    topic_step,
    village_step,
)
from handlers.telegram import menu
from handlers.telegram.common import (
    Context,
    channel_of,
    message_of,
    recipient_of,
    services,
    user_of,
)
from handlers.telegram.durable import DurableReplies
from handlers.telegram.replies import edit, reply

log = logging.getLogger(__name__)
MIN_TEXT = 5
MessageStep = Callable[[Update, Context, Draft], Awaitable[None]]


def description_prompt(context: Context) -> str:
    return description_step(_photos_only(context))


def _photos_only(context: Context) -> bool:
    """The channel carries photos and no other attachment: the form asks for no more."""
    return channel_of(context.application).photos_only


def _files_step(context: Context, draft: Draft) -> Step:
    return files_step(draft.files, draft.location is not None, _photos_only(context))


async def on_description(update: Update, context: Context, draft: Draft) -> None:
    """Take the description (text, caption or voice), and any file or pin sent with it."""
    message = message_of(update)
    file, refusal = await take_file(context, message)
    if refusal:
        await message.reply_text(refusal)
        return
    text = (message.text or message.caption or "").strip()
    if message.voice and not text:
        text = "🎤 " + _("Voice message")
    files = (*draft.files, file) if file else draft.files
    location = incoming_location(message) or draft.location
    if len(text) < MIN_TEXT or len(text) > MAX_TEXT:
        await save(context, update, replace(draft, files=files, location=location))
        lead = _("Kept.") + " " if (file or location) and not text else ""
        again = DESCRIBE_IN_WORDS if _photos_only(context) else DESCRIBE_AGAIN
        await message.reply_text(lead + _(again).format(max=MAX_TEXT))
        return
    draft = replace(draft, description=text, files=files, location=location, step="files")
    await save(context, update, draft)
    duplicate = await services(context).cases.duplicate_of(recipient_of(update, context), text)
    if duplicate:
        await message.reply_text(
            _("You already sent the same text in case {code}. You can go on if it is new.").format(
                code=duplicate
            )
        )
    text, markup = _files_step(context, draft)
    await message.reply_text(text, reply_markup=markup)


DESCRIBE_AGAIN = N_(
    "Please describe it in words (at least a few words, at most {max} characters), "
    "or send a voice message."
)
DESCRIBE_IN_WORDS = N_(
    "Please describe it in words (at least a few words, at most {max} characters)."
)


async def on_file(update: Update, context: Context, draft: Draft) -> None:
    """Add a photo, document, voice note or location pin to the form."""
    message = message_of(update)
    location = incoming_location(message)
    if not has_file(message) and location is None:
        text, markup = _files_step(context, draft)
        lead = (
            _("Please send a photo, or choose Continue.")
            if _photos_only(context)
            else _("Please send a photo, a document or a location, or choose Continue.")
        )
        await message.reply_text(lead, reply_markup=markup)
        return
    caption = (message.caption or "").strip()
    longer = f"{draft.description}\n{caption}" if caption else draft.description
    # The count and the words are checked first: a file refused for them is not downloaded.
    full = has_file(message) and len(draft.files) >= services(context).cases.config.max_files
    refusal = too_long(longer)
    file, taken = (None, None) if full or refusal else await take_file(context, message)
    refusal = refusal or taken
    if full:
        refusal = _("That is the most files one case can take. Please choose Continue.")
    if refusal:
        await message.reply_text(refusal)
        return
    files = (*draft.files, file) if file else draft.files
    draft = replace(draft, files=files, location=location or draft.location, description=longer)
    await save(context, update, draft)
    text, markup = _files_step(context, draft)
    await message.reply_text(text, reply_markup=markup)


async def files_done(
    update: Update, context: Context, draft: Draft, action: IntakeFilesDone
) -> None:
    assert draft.kind is not None
    await save(context, update, replace(draft, step="consent"))
    await edit(update, context, *consent_step(draft.kind, services(context).settings))


async def choose_consent(
    update: Update, context: Context, draft: Draft, action: IntakeConsent
) -> None:
    """Agree to share a name and phone, or (where the kind allows) stay anonymous."""
    assert draft.kind is not None
    if action.choice is Consent.AGREE:
        await save(context, update, replace(draft, consent=True, anonymous=False, step="contact"))
        await edit(update, context, _("Thank you."))
        text, markup = contact_step(channel_of(context.application).inline_buttons)
        await message_of(update).reply_text(text, reply_markup=markup)
    elif action.choice is Consent.ANONYMOUS and draft.kind.allows_anonymity:
        draft = replace(draft, consent=False, anonymous=True, contact=None, step="review")
        await save(context, update, draft)
        await edit(update, context, *review_step(draft, services(context).settings))
    else:
        raise ValueError(action.choice)


async def on_contact(update: Update, context: Context, draft: Draft) -> None:
    """Take the shared contact, or a typed name and phone."""
    message = message_of(update)
    contact: Contact | None = None
    if message.contact is not None:
        if message.contact.user_id != user_of(update).id:
            await message.reply_text(
                _("Please share your own number, or type your name and phone.")
            )
            return
        c = message.contact
        contact = shared_contact(c.first_name, c.last_name, c.phone_number)
    elif message.text:
        contact = parse_contact(message.text)
    if contact is None:
        text, markup = contact_step(channel_of(context.application).inline_buttons)
        lead = _("I could not read a name and a Vietnamese phone number.")
        await message.reply_text(f"{lead}\n{text}", reply_markup=markup)
        return
    draft = replace(draft, contact=contact, step="review")
    await save(context, update, draft)
    await message.reply_text(_("Thank you."), reply_markup=menu.keyboard())
    text, inline = review_step(draft, services(context).settings)
    await reply(message, text, inline)


async def send(update: Update, context: Context, draft: Draft, action: IntakeSend) -> None:
    """Commit the case, queue the officers' cards, then tell the citizen its code.

    Once committed, nothing Telegram does may cost the citizen their code or
    the officers their card: the cards are outbox rows before any reply, and
    a reply that fails goes through the outbox too.
    """
    svc = services(context)
    case = await svc.cases.submit(recipient_of(update, context), draft, current_language())
    await svc.cases.announce(case)
    try:
        sent = _("✅ Sent.")  # where the form cannot change, not the whole form again
        await edit(
            update, context, review_step(draft, svc.settings)[0] + "\n\n" + sent, instead=sent
        )
    except TelegramError as exc:  # only the form's look: its buttons are out of date anyway
        log.warning("case %d: could not mark the form as sent: %s", case.id, exc)
    replies = DurableReplies(update, context)
    await replies.send(submitted_text(case), menu.keyboard())
    if case.kind.formal:
        tz = svc.settings.timezone
        slot = next_reception(
            svc.clock.now().astimezone(tz), svc.cases.config.reception, svc.cases.calendar
        )
        await replies.send(*formal_routes(case, slot, tz))


async def restart(update: Update, context: Context, draft: Draft, action: IntakeRestart) -> None:
    await services(context).conversations.clear(
        recipient_of(update, context)
    )  # the old form is dropped
    await save(context, update, Draft())
    await edit(update, context, *kind_step())


async def reprompt(update: Update, context: Context, draft: Draft) -> None:
    """This step is answered with a button: say so and show the buttons again."""
    settings = services(context).settings
    if draft.step == "topic":
        text, markup = topic_step()
    elif draft.step == "village":
        text, markup = village_step(settings, None)
    elif draft.step == "consent" and draft.kind is not None:
        text, markup = consent_step(draft.kind, settings)
    elif draft.step == "review" and draft.kind is not None:
        text, markup = review_step(draft, settings)
    else:
        text, markup = kind_step()
    lead = _("Please choose one of the options above.")
    await reply(message_of(update), f"{lead}\n\n{text}", markup)


MESSAGE_STEPS: dict[str, MessageStep] = {
    "description": on_description,
    "files": on_file,
    "contact": on_contact,
}
