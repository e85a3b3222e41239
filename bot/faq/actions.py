"""The buttons under the FAQ's replies, and the officers' "publish to the FAQ"."""

from __future__ import annotations

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
