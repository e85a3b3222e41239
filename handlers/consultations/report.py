"""Send an officer a consultation's Word report (built off the event loop)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.consultations.model import Consultation
from bot.people.officers import Officer
from handlers.telegram.common import Context, message_of, services


async def send_report(
    update: Update, context: Context, officer: Officer, consultation: Consultation
) -> None:
    """Build the .docx in a worker thread (matplotlib and docx take a while) and send it."""
    # Here, not at the top: python-docx loads when a report is asked for, not at start-up.
    from bot.consultations.report import build_report, letterhead

    svc = services(context)
    tallies = await svc.consultations.repo.tallies(consultation.id)
    issued = svc.clock.now().astimezone(svc.settings.timezone).date()
    head = letterhead(svc.settings.commune_name, issued)
    data = await asyncio.to_thread(
        build_report, consultation, tallies, svc.consultations.villages, head
    )
    name = f"lay-y-kien-{consultation.id}.docx"
    await message_of(update).reply_document(InputFile(data, filename=name))
    await svc.access.done(officer, "consultation:report", str(consultation.id))
