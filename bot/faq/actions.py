"""The buttons under the FAQ's replies, and the officers' "publish to the FAQ"."""

from __future__ import annotations

from enum import StrEnum

from bot.messaging.actions import Action


# Under a reply to a citizen's question: each names the logged question.
class FaqAction(Action):
    query_id: int


class FaqHelpful(FaqAction, prefix="faq:ok"):
    pass


class FaqNotHelpful(FaqAction, prefix="faq:no"):
    pass


class FaqPick(FaqAction, prefix="faq:pick"):
    entry_id: int


class FaqSendToOfficers(FaqAction, prefix="faq:send"):
    pass


class FaqConfirmSend(FaqAction, prefix="faq:sendok"):
    """Send the question, with any detail the citizen added, after seeing it."""


class FaqSkip(FaqAction, prefix="faq:skip"):
    pass


class FaqPublish(Action, prefix="faq:pub"):
    """An officer's answer to a question case becomes an FAQ entry (`bot.faq.case_desk`)."""

    case_id: int
    answer_id: int


class PubField(StrEnum):
    """What the officer corrects before publishing."""

    QUESTION = "q"
    ANSWER = "a"


# The officer's review before publishing (`handlers/faq/publish.py`): each
# names the case and the answer again, and every press is checked again.
class FaqPubStep(Action):
    case_id: int
    answer_id: int


class FaqPubEdit(FaqPubStep, prefix="faq:pedit"):
    field: PubField


class FaqPubAudience(FaqPubStep, prefix="faq:paud"):
    one_village: bool


class FaqPubConfirm(FaqPubStep, prefix="faq:pok"):
    pass


class FaqPubCancel(FaqPubStep, prefix="faq:pno"):
    pass
