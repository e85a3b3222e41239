"""The buttons of public answers: citizens browse them, officers publish and withdraw."""

from __future__ import annotations

from bot.cases.model import Topic
from bot.messaging.actions import Action


# Citizens' /answers.
class AnswersTopics(Action, prefix="ans:top"):
    """The topic picker, as a new message (from /stats)."""


class AnswersBack(Action, prefix="ans:back"):
    """The topic picker, in place of the page it was pressed on."""


class AnswersPage(Action, prefix="ans:t"):
    topic: Topic
    page: int


class AnswersEntry(Action, prefix="ans:e"):
    entry_id: int


# Officers: an answer sent to a citizen becomes public after a preview.
class PublicPreview(Action, prefix="pub:pre"):
    case_id: int
    answer_id: int


class PreviewAction(Action):
    """A press on a preview names its revision: an older preview publishes nothing."""

    entry_id: int
    revision: int


class PublicConfirm(PreviewAction, prefix="pub:ok"):
    pass


class PublicRewrite(PreviewAction, prefix="pub:edit"):
    pass


class PublicCancel(PreviewAction, prefix="pub:no"):
    pass


class PublicWithdraw(Action, prefix="pub:wd"):
    entry_id: int
    page: int  # the list's page to show again


class PublicList(Action, prefix="pub:list"):
    page: int
