"""Officers' own commands: who am I, subscriber figures, the audit log."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.core.dates import moment_text
from bot.core.i18n import N_, _
from bot.people.officers import Officer, Role
from handlers.telegram import commands
from handlers.telegram.common import Context, TelegramApp, message_of, services
from handlers.telegram.guard import officer_only

ROLE_NAMES = {
    Role.CHAIRMAN: N_("Chairman of the People's Committee"),
    Role.OFFICE: N_("Office and statistics"),
    Role.CULTURE: N_("Culture and social affairs"),
    Role.JUSTICE: N_("Justice and civil status"),
    Role.FINANCE: N_("Finance and accounting"),
}


def role_names(roles: frozenset[Role]) -> str:
    return ", ".join(_(ROLE_NAMES[r]) for r in sorted(roles))


@officer_only("command:officer")
async def whoami(update: Update, context: Context, officer: Officer) -> None:
    """Show the officer their roles and commands."""
    specs = commands.officer_commands(officer.roles)
    lines = [
        _("You are registered as an officer: {name}").format(name=officer.name),
        _("Roles: {roles}").format(roles=role_names(officer.roles)),
        "",
        *(f"/{c.name} — {_(c.description)}" for c in specs),
    ]
    await message_of(update).reply_text("\n".join(lines))


@officer_only("command:subscribers", Role.CHAIRMAN, Role.OFFICE, Role.CULTURE)
async def subscribers(update: Update, context: Context, officer: Officer) -> None:
    """Count subscribed citizens by village."""
    svc = services(context)
    counts = await svc.citizens.count_subscribed_by_village()
    lines = [_("Subscribed citizens: {count}").format(count=sum(counts.values()))]
    for village in svc.settings.villages:
        lines.append(f"• {village.name}: {counts.get(village.id, 0)}")
    if counts.get(None):
        lines.append("• " + _("Village not chosen: {count}").format(count=counts[None]))
    await svc.access.done(officer, "command:subscribers")
    await message_of(update).reply_text("\n".join(lines))


@officer_only("command:audit", Role.CHAIRMAN, Role.OFFICE)
async def audit(update: Update, context: Context, officer: Officer) -> None:
    """Show the latest officer actions, refused ones included."""
    svc = services(context)
    entries = await svc.audit.recent(15)
    lines = [_("Latest officer actions:")]
    if not entries:
        lines.append(_("None recorded yet."))
    names: dict[object, str] = {}
    for e in entries:
        when = moment_text(e.at, svc.settings.timezone)
        mark = "✅" if e.outcome == "ok" else "⛔"
        if e.actor not in names:  # an officer by name; anyone else by their chat
            known = await svc.officers.get(e.actor, include_inactive=True)
            names[e.actor] = known.name if known else f"{e.actor.channel}:{e.actor.external_id}"
        lines.append(f"{mark} {when} · {names[e.actor]} · {e.action} {e.target}".rstrip())
    await svc.access.done(officer, "command:audit")
    await message_of(update).reply_text("\n".join(lines))


def register(application: TelegramApp) -> None:
    everyone = tuple(Role)
    commands.declare("officer", N_("Your officer roles and commands"), *everyone, order=100)
    commands.declare(
        "subscribers",
        N_("Subscribers by village"),
        Role.CHAIRMAN,
        Role.OFFICE,
        Role.CULTURE,
        order=110,
    )
    commands.declare("audit", N_("Latest officer actions"), Role.CHAIRMAN, Role.OFFICE, order=190)
    private = filters.ChatType.PRIVATE
    application.add_handler(CommandHandler("officer", whoami, private))
    application.add_handler(CommandHandler("subscribers", subscribers, private))
    application.add_handler(CommandHandler("audit", audit, private))
