"""The buttons of cases: the citizen's /feedback form and /track, and the officers' card.

Every press is checked again on the server: an action names a case, never
grants anything.
"""

from __future__ import annotations

from enum import StrEnum

from bot.cases.model import Kind, Topic
from bot.messaging.actions import Action


class Consent(StrEnum):
    """The citizen's answer to the consent step."""

    AGREE = "yes"
    ANONYMOUS = "anon"


# The /feedback form, step by step (`handlers/cases/intake.py`).
class IntakeCancel(Action, prefix="cin:cancel"):
    pass


class IntakeKind(Action, prefix="cin:kind"):
    kind: Kind


class IntakeTopic(Action, prefix="cin:topic"):
    topic: Topic


class IntakeVillage(Action, prefix="cin:vil"):
    village_id: str | None  # None: another place, or not sure


class IntakeFilesDone(Action, prefix="cin:next:files"):
    pass


class IntakeConsent(Action, prefix="cin:consent"):
    choice: Consent


class IntakeSend(Action, prefix="cin:send"):
    pass


class IntakeRestart(Action, prefix="cin:restart"):
    pass


# A citizen's own case (`/track`).
class TrackAction(Action):
    case_id: int


class TrackShow(TrackAction, prefix="ctrk:show"):
    pass


class TrackAddInfo(TrackAction, prefix="ctrk:add"):
    pass


class TrackSendInfo(TrackAction, prefix="ctrk:send"):
    pass


class TrackRate(TrackAction, prefix="ctrk:rate"):
    stars: int


class TrackSkipComment(TrackAction, prefix="ctrk:skip"):
    pass


class TrackReopen(TrackAction, prefix="ctrk:reo"):
    pass


class TrackClear(TrackAction, prefix="ctrk:clear"):
    """The answer helped: go on to the rating."""


class TrackUnclear(TrackAction, prefix="ctrk:unclear"):
    """The answer did not help: say what is still unclear."""


class TrackPetitionForm(TrackAction, prefix="ctrk:form"):
    pass


class TrackReceptionDay(TrackAction, prefix="ctrk:recv"):
    pass


# The officers' case card and what follows from it.
class CaseAction(Action):
    case_id: int


class CaseAccept(CaseAction, prefix="case:acc"):
    pass


class CaseAssignMe(CaseAction, prefix="case:me"):
    pass


class CaseChooseAssignee(CaseAction, prefix="case:asg"):
    pass


class CaseAssignTo(CaseAction, prefix="case:to"):
    officer_id: int


class CaseAsk(CaseAction, prefix="case:ask"):
    pass


class CaseAnswer(CaseAction, prefix="case:ans"):
    pass


class CaseTransfer(CaseAction, prefix="case:trf"):
    pass


class CaseResolve(CaseAction, prefix="case:res"):
    pass


class CaseReject(CaseAction, prefix="case:rej"):
    pass


class CaseSendAnswer(CaseAction, prefix="case:send"):
    pass


class CaseResolveNow(CaseAction, prefix="case:resnow"):
    pass


class CaseFiles(CaseAction, prefix="case:files"):
    """Show a case's photos, voice notes and documents, on demand (`/case` sends none)."""


class CaseOpen(CaseAction, prefix="case:open"):
    pass
