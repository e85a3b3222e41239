"""Who may see, handle and know the sender of a case: the confidentiality rules.

Complaints and denunciations go privately to the justice officer (and the
chairman, who oversees everything); a denouncer's identity must be kept
secret (Law on Denunciations 2018), so only those two roles ever see it.
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


def may_see_identity(officer: Officer | None, kind: Kind) -> bool:
    """Whether this officer may see who sent a case (None: the officers' group)."""
    if officer is None:
        return not kind.formal
    if kind is Kind.DENUNCIATION:
        return officer.has_any(CONFIDENTIAL_ROLES)
    return officer.has_any(viewing_roles(kind))


def may_handle(officer: Officer, case: Case, routing: Mapping[Topic, Role]) -> bool:
    return officer.active and officer.has_any(handling_roles(case, routing))
