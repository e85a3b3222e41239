"""The domain services the bot runs with, opened once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import AccessControl
from bot.audit import AuditLog
from bot.broadcasts import Broadcasts
from bot.citizens import CitizenRepository
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.library_store import Library
from bot.notify import Notifier
from bot.officers import OfficerRepository
from bot.outbox import Outbox, OutboxNotifier
from bot.subscriptions import Subscriptions


@dataclass
class Services:
    """Everything a channel needs to serve citizens and officers."""

    settings: Settings
    clock: Clock
    db: Database
    citizens: CitizenRepository
    officers: OfficerRepository
    audit: AuditLog
    access: AccessControl
    subscriptions: Subscriptions
    notifier: Notifier
    library: Library
    outbox: Outbox
    broadcasts: Broadcasts

    @classmethod
    async def open(
        cls, settings: Settings, clock: Clock, notifier: Notifier | None = None
    ) -> Services:
        """Open the database; without `notifier`, messages go through the durable outbox."""
        db = await Database.open(settings.database_path)
        citizens = CitizenRepository(db, clock)
        officers = OfficerRepository(db, clock)
        audit = AuditLog(db, clock)
        outbox = Outbox(db, clock)
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            citizens=citizens,
            officers=officers,
            audit=audit,
            access=AccessControl(officers, audit),
            subscriptions=Subscriptions(citizens, settings),
            notifier=notifier or OutboxNotifier(outbox),
            library=Library(db, clock),
            outbox=outbox,
            broadcasts=Broadcasts(db, clock, outbox),
        )

    async def close(self) -> None:
        await self.db.close()
