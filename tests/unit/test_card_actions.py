"""A case card offers only what makes sense in the case's state, for this reader."""

import pytest

from bot.cases.card_actions import CardAction as A
from bot.cases.card_actions import CardRole as R
from bot.cases.card_actions import card_actions
from bot.cases.model import CLOSED, Status

HANDLER_TABLE = {
    Status.NEW: {A.ACCEPT, A.ASSIGN_ME, A.ASSIGN, A.ASK, A.ANSWER, A.TRANSFER, A.REJECT},
    Status.ACCEPTED: {A.ASSIGN_ME, A.ASSIGN, A.ASK, A.ANSWER, A.TRANSFER, A.RESOLVE, A.REJECT},
    Status.WAITING_INFO: {A.ASSIGN_ME, A.ASSIGN, A.ANSWER, A.TRANSFER, A.RESOLVE, A.REJECT},
    Status.ANSWERED: {A.ASK, A.ANSWER, A.RESOLVE},
    **{status: set() for status in CLOSED},
}


@pytest.mark.parametrize("status", list(Status))
def test_a_handler_sees_the_actions_of_the_state(status: Status) -> None:
    assert set(card_actions(status, R.HANDLER)) == HANDLER_TABLE[status]


@pytest.mark.parametrize("status", list(Status))
def test_the_assignee_is_not_offered_to_take_their_own_case(status: Status) -> None:
    assert set(card_actions(status, R.ASSIGNEE)) == HANDLER_TABLE[status] - {A.ASSIGN_ME}


@pytest.mark.parametrize("status", list(Status))
def test_a_reader_who_may_not_act_gets_no_buttons(status: Status) -> None:
    assert card_actions(status, R.VIEWER) == ()


def test_accept_only_while_new_and_the_order_is_the_cards() -> None:
    assert [s for s in Status if A.ACCEPT in card_actions(s, R.HANDLER)] == [Status.NEW]
    shown = card_actions(Status.NEW, R.HANDLER)
    assert list(shown) == sorted(shown, key=list(A).index)
