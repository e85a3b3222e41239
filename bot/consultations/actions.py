"""The buttons of consultations: citizens answer and comment, officers compose and manage."""

from __future__ import annotations

from enum import StrEnum

from bot.messaging.actions import Action


# Citizens: the invitation's buttons, and the /consult list.
class ConsultAnswer(Action, prefix="cs:a"):
    consultation_id: int
    option: int


class ConsultComment(Action, prefix="cs:c"):
    consultation_id: int


class ConsultShow(Action, prefix="cs:show"):
    consultation_id: int


class ConsultReminders(Action, prefix="cs:rem"):
    on: bool


class ConsultSettings(Action, prefix="cs:set"):
    """/settings' entry to the household declaration and the reminders."""


class DeclareHousehold(Action, prefix="cs:hh"):
    pass


# Officers: a consultation's management screen.
class Manage(StrEnum):
    TALLY = "t"
    PAPER = "p"
    CLOSE = "c"
    EXTEND = "x"
    CANCEL = "k"
    REPORT = "r"


class ConsultManage(Action, prefix="cs:m"):
    consultation_id: int
    what: Manage


class ConsultSure(Action, prefix="cs:sure"):
    """The second press that confirms closing early or cancelling."""

    consultation_id: int
    what: Manage


class ComposeNew(Action, prefix="cs:new"):
    pass


# The composer: every press names the draft, checked to be the officer's and open.
class ComposeAction(Action):
    draft_id: int


class ComposeKind(ComposeAction, prefix="cs:kind"):
    kind: str  # a Kind value


class ComposeAudience(ComposeAction, prefix="cs:aud"):
    village_id: str | None  # None: everyone


class ComposeConfirm(ComposeAction, prefix="cs:ok"):
    pass


class ComposeCancel(ComposeAction, prefix="cs:no"):
    pass
