"""/settings' consultation part: declare one's household once, turn reminders on or off.

```mermaid
flowchart LR
  settings[/settings/] --> screen[household + reminders]
  screen --> declare[🏠 pressed] --> text[name, address] --> saved([household stored])
  screen --> toggle[🔔 / 🔕 pressed] --> screen
```
"""

from __future__ import annotations

from telegram import Update

from bot.consultations.actions import ConsultReminders, ConsultSettings, DeclareHousehold
from bot.core.i18n import _
from handlers.consultations import awaiting, replies, views
from handlers.telegram import router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
)
from handlers.telegram.router import Answer

Press = ConsultSettings | DeclareHousehold | ConsultReminders


async def on_press(update: Update, context: Context, action: Press) -> Answer | None:
    """Show the screen, ask for the household, or switch the reminders."""
    svc = services(context)
    citizen = await svc.citizens.get(recipient_of(update, context))
    if citizen is None:
        return Answer(_("Please send /start first to subscribe."), alert=True)
    repo = svc.consultations.repo
    household = await repo.household_of(citizen.id)
    if isinstance(action, DeclareHousehold):
        if household is not None:
            return Answer(_("You have already declared your household."), alert=True)
        await awaiting.expect(update, context, "household", 0)
        await replies.reply(message_of(update), views.household_prompt())
        return None
    if isinstance(action, ConsultReminders):
        await repo.set_reminders(citizen.id, action.on)
    screen = views.household_screen(household, await repo.wants_reminders(citizen.id))
    await replies.show(update, context, *screen)
    return None


def register(application: TelegramApp) -> None:
    router.route(application, ConsultSettings, on_press)
    router.route(application, DeclareHousehold, on_press)
    router.route(application, ConsultReminders, on_press)
