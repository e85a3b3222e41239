"""Officers and the FAQ: how it served citizens, and what it did not answer well.

Questions it could not answer are question cases, handled and published to
the FAQ with the cases' buttons (see `handlers/faq/publish.py`).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_
from bot.people.officers import Officer, Role
from handlers.faq.views import stats_text
from handlers.telegram import commands
from handlers.telegram.common import Context, TelegramApp, message_of, services
from handlers.telegram.guard import officer_only
from handlers.telegram.replies import reply

STATS_DAYS = 30
STATS_ROLES = (Role.CHAIRMAN, Role.OFFICE, Role.CULTURE, Role.JUSTICE)


@officer_only("command:faqstats", *STATS_ROLES)
async def faqstats(update: Update, context: Context, officer: Officer) -> None:
    """Show how the FAQ served citizens, and what it did not answer well."""
    svc = services(context)
    stats = await svc.faq.stats(STATS_DAYS)
    await svc.access.done(officer, "command:faqstats")
    await reply(message_of(update), stats_text(stats, STATS_DAYS))


def register(application: TelegramApp) -> None:
    commands.declare(
        "faqstats",
        N_("FAQ figures: unanswered and badly answered questions"),
        *STATS_ROLES,
        order=150,
    )
    application.add_handler(CommandHandler("faqstats", faqstats, filters.ChatType.PRIVATE))
