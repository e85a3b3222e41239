"""The buttons of dialogues: citizens ask and say "me too", officers compose and manage."""

from __future__ import annotations

from enum import StrEnum

from bot.messaging.actions import Action


# Citizens: the announcement's button, the /dialogue list, the question's two choices.
class DialogueAsk(Action, prefix="dl:ask"):
    dialogue_id: int


class DialogueBrowse(Action, prefix="dl:pub"):
    """The public questions of an event, each with a "me too" button."""

    dialogue_id: int


class DialogueSupport(Action, prefix="dl:too"):
    question_id: int


class DialogueTopic(Action, prefix="dl:top"):
    dialogue_id: int
    topic: str  # a case Topic value


class DialogueSigned(Action, prefix="dl:sig"):
    dialogue_id: int
    signed: bool


class DialoguePublic(Action, prefix="dl:pbl"):
    dialogue_id: int
    public: bool


# Officers: an event's management screen.
class Manage(StrEnum):
    QUESTIONS = "q"
    GROUP = "g"
    MARK = "m"
    ANSWER = "a"
    FINISH = "f"
    REPORT = "r"
    CANCEL = "k"


class DialogueManage(Action, prefix="dl:m"):
    dialogue_id: int
    what: Manage


class DialogueSure(Action, prefix="dl:sure"):
    """The second press that confirms finishing or cancelling."""

    dialogue_id: int
    what: Manage


class DialogueVoice(Action, prefix="dl:v"):
    """Send an officer a question's voice note."""

    question_id: int


class DialogueNew(Action, prefix="dl:new"):
    kind: str  # a Kind value


# The composer: every press names the draft, checked to be the officer's and a draft.
class ComposeAction(Action):
    draft_id: int


class Scope(StrEnum):
    ALL = "a"
    VILLAGE = "v"
    TOPIC = "t"


class DialogueAudience(ComposeAction, prefix="dl:au"):
    scope: Scope
    item: str | None  # a village or topic id


class DialogueAudienceDone(ComposeAction, prefix="dl:audok"):
    pass


class DialogueConfirm(ComposeAction, prefix="dl:ok"):
    pass


class DialogueDiscard(ComposeAction, prefix="dl:no"):
    pass
