"""The domain services the bot runs with, opened once at start-up, and how they connect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.cases.config import load_case_settings
from bot.cases.figures import CaseDigestSource
from bot.cases.service import CaseService
from bot.cases.sweep_source import CaseSweepAdapter
from bot.consultations.cases import CommentCases
from bot.consultations.service import ConsultationService
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.db import Database
from bot.dialogues.service import DialogueService
from bot.duties.service import DutyService
from bot.faq.case_desk import CaseQuestionDesk
from bot.faq.service import FaqService
from bot.messaging.channels import channel_specs, windows_of
from bot.messaging.conversations import ConversationStore
from bot.messaging.files import FileSettings, FileStore
from bot.messaging.notify import Channel, Notifier
from bot.messaging.outbox import Outbox, OutboxNotifier
from bot.outreach.archive import Archive
from bot.outreach.broadcasts import Broadcasts
from bot.outreach.figures import BroadcastFiguresSource
from bot.outreach.library.store import Library
from bot.outreach.publications import Publications
from bot.people.access import AccessControl
from bot.people.audit import AuditLog
from bot.people.citizens import CitizenRepository
from bot.people.officers import OfficerRepository
from bot.people.subscriptions import Subscriptions
from bot.privacy.records import PersonalRecords
from bot.privacy.service import PersonalData, PrivacyOptions
from bot.public_answers.repository import PublicAnswerRepository
from bot.public_answers.service import PublicAnswers, PublicOptions
from bot.reception.repository import ReceptionRepository
from bot.reception.service import ReceptionService
from bot.reports.duty_drafts import DraftReports
from bot.reports.service import ReportOptions, ReportService, connected_sources


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
    conversations: ConversationStore
    library: Library
    archive: Archive
    outbox: Outbox
    broadcasts: Broadcasts
    publications: Publications  # broadcasts also published on a channel's feed (OA articles)
    reports: ReportService
    cases: CaseService
    faq: FaqService
    duties: DutyService
    public_answers: PublicAnswers
    privacy: PersonalData
    files: FileStore
    consultations: ConsultationService
    dialogues: DialogueService
    reception: ReceptionService
    # Every channel this process sends through, by name: each application adds
    # its own at start-up, and the one outbox sender reads them all.
    channels: dict[str, Channel] = field(default_factory=dict)
    # The channels this process will open beside the first (its guests, named
    # by the launcher): until each is open, the sender leaves its rows queued
    # rather than fail them for want of a channel.
    awaited: set[str] = field(default_factory=set)

    @classmethod
    async def open(
        cls, settings: Settings, clock: Clock, notifier: Notifier | None = None
    ) -> Services:
        """Open the database and every feature; without `notifier`, messages go
        through the durable outbox."""
        # Sections read without the database are checked before it is opened.
        report_options = ReportOptions.from_settings(settings)
        public_options = PublicOptions.from_section(settings.section("public_answers"))
        db = await Database.open(settings.database_path)
        try:  # a feature's bad [section] must not leave the database thread running
            return await cls._compose(settings, clock, db, notifier, report_options, public_options)
        except BaseException:
            await db.close()
            raise

    @classmethod
    async def _compose(
        cls,
        settings: Settings,
        clock: Clock,
        db: Database,
        notifier: Notifier | None,
        report_options: ReportOptions,
        public_options: PublicOptions,
    ) -> Services:
        citizens, officers = CitizenRepository(db, clock), OfficerRepository(db, clock)
        audit = AuditLog(db, clock)
        access = AccessControl(officers, audit)
        outbox = Outbox(db, clock, windows_of(channel_specs(settings)))
        notifier = notifier or OutboxNotifier(outbox)
        # Every flow's conversation in progress; forgotten after [cases] draft_hours.
        draft_hours = load_case_settings(settings.section("cases")).draft_hours
        conversations = ConversationStore(db, clock, timedelta(hours=draft_hours))
        cases = CaseService.create(
            db, settings, clock, officers, citizens, access, notifier, conversations=conversations
        )
        await cases.start()
        # Questions the FAQ cannot answer become question cases.
        faq = await FaqService.open(db, clock, settings, CaseQuestionDesk(cases))
        duties = DutyService.open(settings, db, officers, access, notifier, clock)
        duties.sweep.source = CaseSweepAdapter(cases.repo, officers)
        duties.digest.sources += [CaseDigestSource(db, settings), BroadcastFiguresSource(db)]
        reports = ReportService(
            connected_sources(db, settings, clock), settings, clock, report_options
        )
        drafts = settings.database_path.parent / "reports"
        duties.engine.attachments = DraftReports(reports, drafts, clock, settings.timezone)
        privacy_options = PrivacyOptions.from_section(settings.section("privacy"))
        library = Library(db, clock)
        # The files people send live beside the database (README: data and backups).
        max_bytes = FileSettings.from_section(settings.section("files")).max_bytes
        files = FileStore(db, settings.database_path.parent / "files", clock, max_bytes)
        broadcasts = Broadcasts(db, clock, outbox)
        consultations = ConsultationService(
            db, clock, settings, broadcasts, outbox, officers, notifier
        )
        consultations.cases = CommentCases(cases)  # comments officers turn into cases
        dialogues = DialogueService(db, clock, settings, broadcasts, outbox, cases, conversations)
        reception = ReceptionService(
            ReceptionRepository(db), clock, settings, duties.calendar, cases.calendar, outbox, cases
        )
        return cls(
            settings=settings,
            clock=clock,
            db=db,
            citizens=citizens,
            officers=officers,
            audit=audit,
            access=access,
            subscriptions=Subscriptions(citizens, settings),
            notifier=notifier,
            conversations=conversations,
            library=library,
            archive=Archive(db, library, settings.timezone),
            outbox=outbox,
            broadcasts=broadcasts,
            publications=Publications(db, clock, settings.timezone),
            reports=reports,
            cases=cases,
            faq=faq,
            duties=duties,
            public_answers=PublicAnswers(PublicAnswerRepository(db), cases, public_options),
            privacy=PersonalData(
                cases.privacy,
                PersonalRecords(db),
                clock,
                privacy_options,
                consultations.repo,
                dialogues.repo,
                reception.repo,
                outbox,
            ),
            files=files,
            consultations=consultations,
            dialogues=dialogues,
            reception=reception,
        )

    async def close(self) -> None:
        await self.db.close()
