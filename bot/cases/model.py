"""What a case is: kinds, topics, statuses, events and the records stored for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.core.i18n import N_
from bot.messaging.channels import Recipient
from bot.messaging.files import sha256_of
from bot.people.officers import Role


class Kind(StrEnum):
    """What the citizen raises; the law treats each differently."""

    QUESTION = "question"  # câu hỏi
    FEEDBACK = "feedback"  # phản ánh
    PETITION = "petition"  # kiến nghị
    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo

    @property
    def formal(self) -> bool:
        """Formally filed only by a signed petition or in person (DESIGN.md)."""
        return self in (Kind.COMPLAINT, Kind.DENUNCIATION)

    @property
    def allows_anonymity(self) -> bool:
        # An anonymous complaint or denunciation is not processed, so the bot
        # asks for a name and phone the justice officer can reach.
        return not self.formal


class Topic(StrEnum):
    """What the case is about; the plan names land and its neighbours first."""

    LAND = "land"
    SITE_CLEARANCE = "site_clearance"
    COMPENSATION = "compensation"
    RESETTLEMENT = "resettlement"
    POLLUTION = "pollution"
    PUBLIC_ORDER = "public_order"
    ROADS = "roads"
    ADMIN_PROCEDURES = "admin_procedures"
    SOCIAL_POLICY = "social_policy"
    OTHER = "other"


class Status(StrEnum):
    """Where a case stands."""

    NEW = "new"  # received, not yet accepted
    ACCEPTED = "accepted"  # thụ lý: being handled
    WAITING_INFO = "waiting_info"  # the citizen was asked for more information
    ANSWERED = "answered"  # an answer was sent; the case is still open
    RESOLVED = "resolved"
    REJECTED = "rejected"
    TRANSFERRED = "transferred"  # not the commune's competence

    @property
    def open(self) -> bool:
        return self not in CLOSED


CLOSED = frozenset({Status.RESOLVED, Status.REJECTED, Status.TRANSFERRED})


class Action(StrEnum):
    """An event in a case's log."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    INFO_REQUESTED = "info_requested"
    INFO_ADDED = "info_added"
    ANSWERED = "answered"
    TRANSFERRED = "transferred"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    RATED = "rated"
    COMMENTED = "commented"
    REOPENED = "reopened"
    CONTACT_ERASED = "contact_erased"


# Events the citizen sees on their timeline; the rest are the office's own.
PUBLIC_ACTIONS = frozenset(Action) - {Action.ASSIGNED}

KIND_NAMES = {
    Kind.QUESTION: N_("Question"),
    Kind.FEEDBACK: N_("Feedback"),
    Kind.PETITION: N_("Petition"),
    Kind.COMPLAINT: N_("Complaint"),
    Kind.DENUNCIATION: N_("Denunciation"),
}
KIND_HELP = {
    Kind.QUESTION: N_("You want to know about a procedure, a policy or a date."),
    Kind.FEEDBACK: N_("You report a problem such as pollution, a broken road or disorder."),
    Kind.PETITION: N_("You ask the commune to act on something or change it."),
    Kind.COMPLAINT: N_("You disagree with a decision or act of the government that affects you."),
    Kind.DENUNCIATION: N_(
        "You report wrongdoing by an official or a body; your identity is kept secret."
    ),
}
TOPIC_NAMES = {
    Topic.LAND: N_("Land"),
    Topic.SITE_CLEARANCE: N_("Site clearance"),
    Topic.COMPENSATION: N_("Compensation"),
    Topic.RESETTLEMENT: N_("Resettlement"),
    Topic.POLLUTION: N_("Pollution"),
    Topic.PUBLIC_ORDER: N_("Public order"),
    Topic.ROADS: N_("Roads and infrastructure"),
    Topic.ADMIN_PROCEDURES: N_("Administrative procedures"),
    Topic.SOCIAL_POLICY: N_("Social policy"),
    Topic.OTHER: N_("Other"),
}
STATUS_NAMES = {
    Status.NEW: N_("Received, waiting to be accepted"),
    Status.ACCEPTED: N_("Accepted, being handled"),
    Status.WAITING_INFO: N_("Waiting for more information from you"),
    Status.ANSWERED: N_("Answered"),
    Status.RESOLVED: N_("Resolved"),
    Status.REJECTED: N_("Rejected"),
    Status.TRANSFERRED: N_("Transferred to the competent body"),
}
ACTION_NAMES = {
    Action.SUBMITTED: N_("Received"),
    Action.ACCEPTED: N_("Accepted for handling"),
    Action.ASSIGNED: N_("Assigned"),
    Action.INFO_REQUESTED: N_("More information requested"),
    Action.INFO_ADDED: N_("Information added"),
    Action.ANSWERED: N_("Answered"),
    Action.TRANSFERRED: N_("Transferred"),
    Action.RESOLVED: N_("Resolved"),
    Action.REJECTED: N_("Rejected"),
    Action.RATED: N_("Rated"),
    Action.COMMENTED: N_("Comment on the handling"),
    Action.REOPENED: N_("Reopened"),
    Action.CONTACT_ERASED: N_("Contact details erased"),
}
# The handling office the citizen is shown, never an officer's own account.
OFFICE_NAMES = {
    Role.CHAIRMAN: N_("the Chairman's office"),
    Role.OFFICE: N_("the Office and Statistics section"),
    Role.CULTURE: N_("the Culture and Social Affairs section"),
    Role.JUSTICE: N_("the Justice and Civil Status section"),
    Role.FINANCE: N_("the Finance and Accounting section"),
}


@dataclass(frozen=True)
class Location:
    """A pin the citizen shared."""

    latitude: float
    longitude: float

    @property
    def map_url(self) -> str:
        return f"https://maps.google.com/?q={self.latitude:.6f},{self.longitude:.6f}"


@dataclass(frozen=True)
class Contact:
    """The name and phone a citizen chose to share, with their consent."""

    name: str
    phone: str


@dataclass(frozen=True)
class FileRef:
    """A photo, document or voice note on a case, kept by the bot (bot.messaging.files).

    `ref` is `file:<sha256>`; a row from before the store holds the Telegram
    file id it came with, which the channel adopts into the store on first use.
    """

    kind: str  # photo | document | voice
    ref: str
    filename: str | None = None
    size: int = 0  # bytes; 0 when not known (a legacy row)

    @property
    def sha256(self) -> str | None:
        return sha256_of(self.ref)


@dataclass(frozen=True)
class Case:
    """A case as stored; `contact` is None when anonymous, not shared or erased."""

    id: int
    code: str
    kind: Kind
    topic: Topic
    village_id: str | None
    description: str
    status: Status
    reporter: Recipient | None
    contact: Contact | None
    anonymous: bool
    location: Location | None
    office: Role
    assignee_id: int | None
    language: str
    received_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    due_on: date
    rating: int | None = None
    rating_comment: str = ""
    attachments: tuple[FileRef, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Event:
    """One line of the append-only log: who did what, when, with what text."""

    id: int
    case_id: int
    at: datetime
    action: Action
    actor_officer_id: int | None  # None: the citizen or the system
    actor_name: str  # the officer's name, for officers' eyes only
    text: str
    files: tuple[FileRef, ...] = ()

    @property
    def public(self) -> bool:
        return self.action in PUBLIC_ACTIONS


@dataclass(frozen=True)
class Draft:
    """What a citizen has entered so far in the /feedback conversation."""

    step: str = "kind"
    kind: Kind | None = None
    topic: Topic | None = None
    village_id: str | None = None
    description: str = ""
    location: Location | None = None
    files: tuple[FileRef, ...] = ()
    contact: Contact | None = None
    anonymous: bool = False
    consent: bool = False
