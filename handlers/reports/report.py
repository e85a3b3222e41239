"""`/report [period]` for the office and the chairman; `/stats`, the public figures, for all."""

from __future__ import annotations

from telegram import InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.ext import CommandHandler, filters

from bot.core.i18n import N_, _, current_language
from bot.people.officers import Officer, Role
from bot.reports.labels import describe_period
from bot.reports.period import PeriodError
from bot.reports.public import stats_text
from bot.reports.service import PeriodNotStarted, ReportFiles
from handlers.public_answers.browse import browse_markup
from handlers.telegram import commands
from handlers.telegram.common import Context, TelegramApp, channel_of, message_of, services
from handlers.telegram.guard import officer_only
from handlers.telegram.replies import rewrite

EXAMPLES = "2026-03, 2026-Q3, 2026-H1, 2026, 2026-01-15..2026-03-31, quý 3/2026, tháng 3/2026"


@officer_only("command:report", Role.OFFICE, Role.CHAIRMAN)
async def report(update: Update, context: Context, officer: Officer) -> None:
    """Compile the report of a period and send the Word file, its charts and the CSV."""
    svc = services(context)
    message = message_of(update)
    typed = " ".join(context.args or [])
    try:
        period = svc.reports.parse(typed) if typed else svc.reports.default_period()
    except PeriodError:
        text = _("I cannot read “{typed}” as a period. For example: {examples}")
        await message.reply_text(text.format(typed=typed, examples=EXAMPLES))
        return
    name = describe_period(period)
    if not channel_of(context.application).documents:  # Zalo Bot: nothing compiled in vain
        await message.reply_text(elsewhere(name, period.key))
        return
    progress = await message.reply_text(
        _("⏳ Compiling the report for {period}...").format(period=name)
    )
    await message.chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    try:
        files = await svc.reports.build(period)
    except PeriodNotStarted:
        await rewrite(
            context,
            progress,
            _(
                "The reporting period ({period}) has not started yet: there are no figures to report."
            ).format(period=name),
        )
        return
    await _send(message, files, name)
    await rewrite(
        context,
        progress,
        _(
            "✅ The draft report for {period} is ready. Please review it before it is signed."
        ).format(period=name),
    )
    await svc.access.done(officer, "command:report", target=period.key)


def elsewhere(name: str, key: str) -> str:
    """Where to get the report on a channel that cannot carry its files (Zalo Bot)."""
    return _(
        "Zalo Bot cannot carry files, so the report for {period} (a Word file) cannot come"
        " here. Send “/report {key}” to the commune's bot on Telegram or to its Zalo OA, or run"
        " “python -m bot report --period {key} --out report.docx” on the bot's server."
    ).format(period=name, key=key)


async def _send(message: Message, files: ReportFiles, name: str) -> None:
    caption = _("Draft report for {period}").format(period=name)
    await message.reply_document(
        InputFile(files.docx, filename=f"{files.stem}.docx"), caption=caption
    )
    for chart in files.charts:
        await message.reply_photo(InputFile(chart.png, filename="chart.png"), caption=chart.title)
    csv_caption = _("The figures as CSV, to open in Excel.")
    await message.reply_document(
        InputFile(files.csv, filename=f"{files.stem}.csv"), caption=csv_caption
    )


async def stats(update: Update, context: Context) -> None:
    """Show the commune's public figures for this month and this year, with a chart."""
    svc = services(context)
    message = message_of(update)
    figures = await svc.reports.public_stats(current_language())
    # The public answers are the other half of "công khai": one press away.
    await message.reply_text(
        stats_text(figures, svc.settings.commune_name), reply_markup=browse_markup()
    )
    if figures.chart is not None:
        photo = InputFile(figures.chart.png, filename="chart.png")
        await message.reply_photo(photo, caption=figures.chart.title)


def register(application: TelegramApp) -> None:
    commands.declare("stats", N_("Public figures of the commune"), order=70)
    commands.declare(
        "report", N_("Periodic report (Word file)"), Role.OFFICE, Role.CHAIRMAN, order=120
    )
    private = filters.ChatType.PRIVATE
    # Compiling takes a moment: other people's updates are not held up meanwhile.
    application.add_handler(CommandHandler("report", report, private, block=False))
    application.add_handler(CommandHandler("stats", stats, private, block=False))
