"""Which buttons a case card offers: the case's state × the reader's part in it.

A pure table, so that a card never offers what the server would refuse or
what no longer makes sense (accepting an accepted case, rejecting an answered
one). The server still checks every press.
"""

from __future__ import annotations

from enum import StrEnum

from bot.cases.model import Status


class CardAction(StrEnum):
    """A button of the officers' case card, in the card's order."""

    ACCEPT = "accept"
    ASSIGN_ME = "assign_me"
    ASSIGN = "assign"
    ASK = "ask"
    ANSWER = "answer"
    TRANSFER = "transfer"
    RESOLVE = "resolve"
    REJECT = "reject"


class CardRole(StrEnum):
    """The reader's part in the case."""

    VIEWER = "viewer"  # may read it, not act on it
    HANDLER = "handler"  # may act on it; it is not (yet) theirs
    ASSIGNEE = "assignee"  # it is assigned to them


A = CardAction
BY_STATUS: dict[Status, tuple[CardAction, ...]] = {
    Status.NEW: (A.ACCEPT, A.ASSIGN_ME, A.ASSIGN, A.ASK, A.ANSWER, A.TRANSFER, A.REJECT),
    Status.ACCEPTED: (A.ASSIGN_ME, A.ASSIGN, A.ASK, A.ANSWER, A.TRANSFER, A.RESOLVE, A.REJECT),
    # Waiting for the citizen: asking again would only repeat the question.
    Status.WAITING_INFO: (A.ASSIGN_ME, A.ASSIGN, A.ANSWER, A.TRANSFER, A.RESOLVE, A.REJECT),
    # Answered: follow up or close; transfer and reject came too late.
    Status.ANSWERED: (A.ASK, A.ANSWER, A.RESOLVE),
}


def card_actions(status: Status, role: CardRole) -> tuple[CardAction, ...]:
    """The buttons to show; none on a closed case or to a reader who may not act."""
    if role is CardRole.VIEWER:
        return ()
    actions = BY_STATUS.get(status, ())
    if role is CardRole.ASSIGNEE:
        return tuple(a for a in actions if a is not CardAction.ASSIGN_ME)
    return actions
