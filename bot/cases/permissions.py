"""Who may see, handle and know the sender of a case: the confidentiality rules.

Complaints and denunciations go privately to the justice officer (and the
chairman, who oversees everything); a denouncer's identity must be kept
secret (Law on Denunciations 2018), so only those two roles ever see it.
Any citizen's name and phone reach only the officers handling the case and
the chairman (Decree 13/2023: as the consent text says).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.cases.model import Case, Kind, Topic
from bot.people.officers import Officer, Role

CONFIDENTIAL_ROLES = frozenset({Role.JUSTICE, Role.CHAIRMAN})
ALL_ROLES = frozenset(Role)


def responsible_role(kind: Kind, topic: Topic, routing: Mapping[Topic, Role]) -> Role:
    """The office a new case goes to."""
    return Role.JUSTICE if kind.formal else routing[topic]


def viewing_roles(kind: Kind) -> frozenset[Role]:
    """Roles that may open a case of this kind at all."""
    return CONFIDENTIAL_ROLES if kind.formal else ALL_ROLES


def handling_roles(case: Case, routing: Mapping[Topic, Role]) -> frozenset[Role]:
    """Roles that may act on the case: accept, answer, close and so on."""
    if case.kind.formal:
        return CONFIDENTIAL_ROLES
    return CONFIDENTIAL_ROLES | {routing[case.topic], case.office}


def visible_kinds(officer: Officer) -> frozenset[Kind]:
    return frozenset(k for k in Kind if officer.has_any(viewing_roles(k)))


def handles(officer: Officer, case: Case) -> bool:
    """Whether the case is this officer's: assigned to them or, until then, their office's."""
    if case.assignee_id is not None:
        return case.assignee_id == officer.id
    return case.office in officer.roles


def may_see_identity(officer: Officer | None, case: Case) -> bool:
    """Whether this reader may know who sent the case (None: the officers' group).

    The consent text promises it: the officers handling the case and the
    chairman, who oversees everything; for a complaint or denunciation, never
    anyone but the justice officer and the chairman. Other officers may still
    read the case, without its sender.
    """
    if officer is None or not officer.active:
        return False
    if case.kind.formal and not officer.has_any(CONFIDENTIAL_ROLES):
        return False
    return Role.CHAIRMAN in officer.roles or handles(officer, case)


def may_handle(officer: Officer, case: Case, routing: Mapping[Topic, Role]) -> bool:
    return officer.active and officer.has_any(handling_roles(case, routing))
