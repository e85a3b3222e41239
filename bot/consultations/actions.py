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


class ConsultStep(Action, prefix="cs:q"):
    """Show question `question` to answer (past the last one: the answers given)."""

    consultation_id: int
    question: int


class ConsultPick(Action, prefix="cs:p"):
    """An option of one question (toggled, for a multiple choice)."""

    consultation_id: int
    question: int
    option: int


class ConsultWrite(Action, prefix="cs:w"):
    """Write the answer to a free-comment question (or a comment beside a choice)."""

    consultation_id: int
    question: int


class ConsultSign(Action, prefix="cs:sg"):
    """Sign one's comment with one's name, or take the name off."""

    consultation_id: int
    question: int
    on: bool


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
    COMMENTS = "m"


class ConsultManage(Action, prefix="cs:m"):
    consultation_id: int
    what: Manage


class ConsultSure(Action, prefix="cs:sure"):
    """The second press that confirms closing early or cancelling."""

    consultation_id: int
    what: Manage


class Moderate(StrEnum):
    SHOW = "s"
    RESPOND = "a"
    HIDE = "h"
    CASE = "c"


class CommentAct(Action, prefix="cs:cm"):
    """An officer's press on one comment (named by its id, never by its author)."""

    comment_id: int
    what: Moderate


class ComposeNew(Action, prefix="cs:new"):
    pass


# The composer: every press names the draft, checked to be the officer's and open.
class ComposeAction(Action):
    draft_id: int


class ComposeKind(ComposeAction, prefix="cs:kind"):
    kind: str  # a Kind value


class ComposeAudience(ComposeAction, prefix="cs:aud"):
    village_id: str | None  # None: everyone


class ComposeTarget(ComposeAction):
    """Toggle a village or a topic in the audience."""

    item: str  # a village's or a topic's id


class ComposeVillage(ComposeTarget, prefix="cs:tv"):
    pass


class ComposeTopic(ComposeTarget, prefix="cs:tt"):
    pass


class ComposeTargetDone(ComposeAction, prefix="cs:tgok"):
    pass


class ComposeQuestionType(ComposeAction, prefix="cs:qt"):
    type: str  # a QuestionType value


class ComposeMore(ComposeAction, prefix="cs:more"):
    """After a question: add another (True) or go on to the kind (False)."""

    more: bool


class ComposePublic(ComposeAction, prefix="cs:pub"):
    """Whether comments are public after moderation."""

    on: bool


class ComposeConfirm(ComposeAction, prefix="cs:ok"):
    pass


class ComposeCancel(ComposeAction, prefix="cs:no"):
    pass
