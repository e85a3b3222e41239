"""`python -m bot check`: can this bot work with Telegram as configured? One line per problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

from telegram import Bot, WebhookInfo
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.core.config import Settings

# Telegram posts webhooks only to these ports (setWebhook's documentation).
WEBHOOK_PORTS = frozenset({443, 80, 88, 8443})
# Updates waiting at Telegram beyond this mean nobody is taking them: a bot
# that runs takes them within a second, polling or webhook.
PENDING_ALARM = 100


@dataclass
class Report:
    """What the check found: a summary when all is well, else the problems."""

    summary: str = ""
    problems: list[str] = field(default_factory=list)


async def check(settings: Settings) -> Report:
    """Ask the Bot API for the bot (getMe) and its webhook (getWebhookInfo)."""
    token = settings.bot_token
    if not token:
        return Report("no BOT_TOKEN: `python -m bot run` starts the local sandbox")
    report = Report(problems=_webhook_form(settings))
    bot = Bot(
        token,
        base_url=f"{settings.bot_api_url}/bot",
        base_file_url=f"{settings.bot_api_url}/file/bot",
    )
    try:
        async with bot:  # initialize() calls getMe
            info = await bot.get_webhook_info()
    except InvalidToken:
        # PTB's own message quotes the token: never print it.
        report.problems.append(
            f"BOT_TOKEN: {settings.bot_api_url} refused the token (Unauthorized);"
            " copy the current one from @BotFather"
        )
        return report
    except NetworkError as exc:
        report.problems.append(
            f"BOT_API_URL: cannot reach {settings.bot_api_url}: {_clean(exc, token)}"
        )
        return report
    except TelegramError as exc:
        report.problems.append(f"BOT_API_URL: the Bot API answered: {_clean(exc, token)}")
        return report
    report.problems += _webhook_state(settings, info)
    mode = f"webhook {info.url}" if settings.webhook.url else "long polling"
    report.summary = (
        f"OK: @{bot.username} at {settings.bot_api_url}, {mode},"
        f" updates waiting: {info.pending_update_count}"
    )
    return report


def _webhook_form(settings: Settings) -> list[str]:
    url = settings.webhook.url
    if not url:
        return []
    parsed = urlparse(url)
    if parsed.scheme != "https" or (parsed.port or 443) not in WEBHOOK_PORTS:
        return ["WEBHOOK_URL: Telegram posts only to https:// URLs on port 443, 80, 88 or 8443"]
    return []


def _webhook_state(settings: Settings, info: WebhookInfo) -> list[str]:
    """Whether Telegram delivers where the settings say, and whether delivery works."""
    wanted, registered = settings.webhook.url or "", info.url or ""
    problems: list[str] = []
    if wanted and registered != wanted:
        where = f"posts updates to {registered}" if registered else "has no webhook registered"
        problems.append(
            f"WEBHOOK_URL: Telegram {where}, not {wanted};"
            " the bot registers its URL when it starts: is it running, or another instance?"
        )
    elif not wanted and registered:
        problems.append(
            f"WEBHOOK_URL is empty (long polling) but Telegram posts updates to {registered};"
            " another instance may run by webhook (starting this bot removes it)"
        )
    if registered and info.last_error_message:
        when = info.last_error_date
        at = when.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M") if when else "?"
        problems.append(
            f"webhook: Telegram's last delivery to {registered} failed at {at}:"
            f" {info.last_error_message} (updates waiting: {info.pending_update_count})"
        )
    elif info.pending_update_count >= PENDING_ALARM:
        problems.append(
            f"{info.pending_update_count} updates are waiting at Telegram:"
            " is the bot running and keeping up?"
        )
    return problems


def _clean(exc: Exception, token: str) -> str:
    return str(exc).replace(token, "<BOT_TOKEN>")
