"""Officers and the FAQ: figures, answering questions sent on, publishing answers."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.i18n import N_, _
from bot.officers import Officer, Role
from handlers import commands
from handlers.common import Context, TelegramApp, callback_arg, message_of, query_of, services
from handlers.faq_views import button, stats_text
from handlers.guard import officer_only
from handlers.replies import edit

STATS_DAYS = 30
ANSWERING = (Role.OFFICE, Role.JUSTICE, Role.CHAIRMAN)


@officer_only("command:faqstats", Role.CHAIRMAN, Role.OFFICE, Role.CULTURE, Role.JUSTICE)
async def faqstats(update: Update, context: Context, officer: Officer) -> None:
    """Show how the FAQ served citizens, and what it did not answer well."""
    svc = services(context)
    stats = await svc.faq.stats(STATS_DAYS)
    await svc.access.done(officer, "command:faqstats")
    await message_of(update).reply_text(stats_text(stats, STATS_DAYS))


@officer_only("command:faqanswer", *ANSWERING)
async def faqanswer(update: Update, context: Context, officer: Officer) -> None:
    """Answer a question sent on from the FAQ: `/faqanswer CODE the answer`."""
    svc, args = services(context), context.args or []
    if len(args) < 2:
        await message_of(update).reply_text(_("Write: /faqanswer CODE your answer"))
        return
    code, text = args[0].upper(), " ".join(args[1:])
    try:
        question = await svc.faq.questions.answer(code, officer.id, text)
    except LookupError:
        await message_of(update).reply_text(_("No question has the code {code}.").format(code=code))
        return
    await svc.access.done(officer, "faq:answer", target=code)
    publish = InlineKeyboardMarkup([[button(_("📚 Publish to the FAQ"), "pub", question.code)]])
    await message_of(update).reply_text(
        _("Your answer was sent to the citizen ({code}).").format(code=question.code),
        reply_markup=publish,
    )


@officer_only("faq:publish", *ANSWERING, Role.CULTURE)
async def on_publish(update: Update, context: Context, officer: Officer) -> None:
    """Make the answered question an FAQ entry, so it is answered at once next time."""
    svc, query = services(context), query_of(update)
    code = callback_arg(update, 2)
    entry = await svc.faq.publish_question(code)
    if entry is None:
        await query.answer(_("This question has no answer to publish."), show_alert=True)
        return
    await svc.access.done(officer, "faq:publish", target=code, detail=str(entry.id))
    await edit(query, _("Published to the FAQ as entry {id}.").format(id=entry.id))
    await query.answer()


def register(application: TelegramApp) -> None:
    commands.declare(
        "faqstats",
        N_("FAQ figures: unanswered and badly answered questions"),
        Role.CHAIRMAN,
        Role.OFFICE,
        Role.CULTURE,
        Role.JUSTICE,
        order=150,
    )
    commands.declare(
        "faqanswer", N_("Answer a citizen's question: CODE text"), *ANSWERING, order=151
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("faqstats", faqstats, private))
    application.add_handler(CommandHandler("faqanswer", faqanswer, private))
    application.add_handler(CallbackQueryHandler(on_publish, pattern=r"^faq:pub:"))
