"""Pure case rules: reception day, [cases] settings, typed contacts, who sees what."""

import re
import tomllib
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.cases.config import DEFAULT_ROUTING, CaseSettings, Reception, load_case_settings
from bot.cases.contacts import normalize_phone, parse_contact, shared_contact
from bot.cases.model import Case, Contact, Kind, Status, Topic
from bot.cases.permissions import may_see_identity, responsible_role, visible_kinds
from bot.cases.reception import next_reception
from bot.core.config import ConfigError
from bot.core.paths import ROOT
from bot.core.workdays import WorkCalendar
from bot.messaging.channels import Recipient
from bot.people.officers import Officer, Role

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("now", "start"),
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=HANOI), datetime(2026, 3, 5, 7, 30, tzinfo=HANOI)),
        (datetime(2026, 3, 5, 10, 0, tzinfo=HANOI), datetime(2026, 3, 5, 7, 30, tzinfo=HANOI)),
        (datetime(2026, 3, 5, 11, 0, tzinfo=HANOI), datetime(2026, 3, 12, 7, 30, tzinfo=HANOI)),
        # Thursday 19 Feb 2026 is Tết: the session moves to the next working day.
        (datetime(2026, 2, 16, 9, 0, tzinfo=HANOI), datetime(2026, 2, 23, 7, 30, tzinfo=HANOI)),
    ],
)
def test_next_reception(now: datetime, start: datetime) -> None:
    slot = next_reception(now, Reception(), WorkCalendar())
    assert slot.start == start and slot.end.time() == time(11, 0)


def test_next_reception_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        next_reception(datetime(2026, 3, 2), Reception(), WorkCalendar())


def test_case_settings_defaults_and_overrides() -> None:
    default = load_case_settings({})
    assert default.deadlines.feedback == 10 and default.routing == DEFAULT_ROUTING
    config = load_case_settings(
        {
            "code_prefix": "pa",
            "max_cases_per_day": 3,
            "max_file_mb": 5,
            "deadlines": {"feedback": 7, "remote_area": True},
            "routing": {"pollution": "culture"},
            "reception": {"weekday": "tuesday", "hours": "08:00-11:30", "place": "Nhà văn hoá"},
        }
    )
    assert config.code_prefix == "PA" and config.max_cases_per_day == 3
    assert config.max_file_bytes == 5 * 1024 * 1024
    assert config.deadlines.feedback == 7 and config.deadlines.remote_area
    assert config.routing[Topic.POLLUTION] is Role.CULTURE
    assert config.reception == Reception(1, time(8, 0), time(11, 30), "Nhà văn hoá")


@pytest.mark.parametrize(
    ("section", "setting"),
    [
        ({"colour": "red"}, "[cases] colour"),
        ({"code_prefix": "P4"}, "[cases] code_prefix"),
        ({"max_cases_per_day": 0}, "[cases] max_cases_per_day"),
        ({"max_cases_per_day": "5"}, "[cases] max_cases_per_day"),
        ({"max_file_mb": -1}, "[cases] max_file_mb"),
        ({"deadlines": {"feedback": 0}}, "[cases.deadlines] feedback"),
        ({"deadlines": {"weekly": 3}}, "[cases.deadlines] weekly"),
        ({"deadlines": {"remote_area": "yes"}}, "[cases.deadlines] remote_area"),
        ({"routing": {"weather": "office"}}, "[cases.routing] weather"),
        ({"routing": {"land": "mayor"}}, "[cases.routing] land"),
        ({"reception": {"weekday": "sunday"}}, "[cases.reception] weekday"),
        ({"reception": {"hours": "11:00-08:00"}}, "[cases.reception] hours"),
        ({"reception": {"hours": "morning"}}, "[cases.reception] hours"),
        ({"reception": "thursday"}, "[cases.reception]"),
    ],
)
def test_case_settings_errors_name_the_setting(section: dict, setting: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_case_settings(section)
    assert error.value.setting == setting


@pytest.mark.parametrize(
    ("typed", "contact"),
    [
        ("Nguyễn Văn An 0912345678", Contact("Nguyễn Văn An", "0912345678")),
        ("0912 345 678 - Trần Thị Bình", Contact("Trần Thị Bình", "0912345678")),
        ("Lê Hùng, +84 912.345.678", Contact("Lê Hùng", "0912345678")),
        ("Nguyễn Văn An", None),
        ("0912345678", None),
        ("An 12345", None),
        ("Nguyễn Văn An 09123456789", None),
        (
            "\u202eNguyễn\u200b Văn An\u202c 0912\u2060345678",
            Contact("Nguyễn Văn An", "0912345678"),
        ),
        ("\u202e\u200b 0912345678", None),  # nothing visible left of the name
    ],
)
def test_parse_contact(typed: str, contact: Contact | None) -> None:
    assert parse_contact(typed) == contact


def test_shared_contact_puts_the_family_name_first() -> None:
    assert shared_contact("Lan", "Nguyễn Thị", "+84900001001") == Contact(
        "Nguyễn Thị Lan", "0900001001"
    )
    assert normalize_phone("12345") is None
    assert shared_contact("\u2067Lan\u2069", "Nguyễn\u200d Thị", "+84\u202e900001001") == Contact(
        "Nguyễn Thị Lan", "0900001001"
    )


def officer(*roles: Role, officer_id: int = 1, active: bool = True) -> Officer:
    return Officer(officer_id, Recipient.telegram(1), "Cán bộ", "vi", frozenset(roles), active)


def case(kind: Kind, office: Role, assignee_id: int | None = None) -> Case:
    return Case(
        id=1,
        code="PA-7KX45",
        kind=kind,
        topic=Topic.ROADS,
        village_id=None,
        description="",
        status=Status.NEW,
        reporter=None,
        contact=Contact("Nguyễn Thị Lan", "0987654321"),
        anonymous=False,
        location=None,
        office=office,
        assignee_id=assignee_id,
        language="vi",
        received_at=datetime(2026, 3, 2, tzinfo=UTC),
        accepted_at=None,
        closed_at=None,
        due_on=date(2026, 3, 16),
    )


def test_only_justice_and_chairman_see_complaints() -> None:
    assert responsible_role(Kind.DENUNCIATION, Topic.LAND, DEFAULT_ROUTING) is Role.JUSTICE
    assert responsible_role(Kind.FEEDBACK, Topic.POLLUTION, DEFAULT_ROUTING) is Role.OFFICE
    for roles, sees in (
        ((Role.JUSTICE,), True),
        ((Role.CHAIRMAN,), True),
        ((Role.OFFICE, Role.CULTURE, Role.FINANCE), False),
    ):
        assert (Kind.COMPLAINT in visible_kinds(officer(*roles))) is sees
        assert (Kind.DENUNCIATION in visible_kinds(officer(*roles))) is sees


FEEDBACK, COMPLAINT, DENUNCIATION = Kind.FEEDBACK, Kind.COMPLAINT, Kind.DENUNCIATION
OF, CU, J, CH, F = Role.OFFICE, Role.CULTURE, Role.JUSTICE, Role.CHAIRMAN, Role.FINANCE


@pytest.mark.parametrize(
    ("roles", "officer_id", "kind", "office", "assignee", "sees"),
    [
        # Not yet taken: the office it was sent to handles it.
        ((OF,), 1, FEEDBACK, OF, None, True),
        ((CU,), 1, FEEDBACK, OF, None, False),
        ((F,), 1, FEEDBACK, OF, None, False),
        ((J,), 1, FEEDBACK, OF, None, False),  # may act on it, but it is not his
        ((CH,), 1, FEEDBACK, OF, None, True),  # the chairman oversees everything
        # Taken: only the officer it is assigned to, and the chairman.
        ((OF,), 1, FEEDBACK, OF, 1, True),
        ((OF,), 2, FEEDBACK, OF, 1, False),  # a colleague of the same office
        ((J,), 1, FEEDBACK, J, 1, True),
        ((OF,), 2, FEEDBACK, J, 1, False),  # the office that gave it away
        ((CH,), 2, FEEDBACK, OF, 1, True),
        ((CU, OF), 1, FEEDBACK, OF, None, True),  # any of an officer's roles counts
        # A complaint or denunciation: never anyone but justice and the chairman.
        ((J,), 1, DENUNCIATION, J, None, True),
        ((J,), 2, DENUNCIATION, J, 1, False),
        ((CH,), 1, DENUNCIATION, J, None, True),
        ((CH,), 1, COMPLAINT, J, 2, True),
        ((OF,), 1, DENUNCIATION, J, 1, False),  # even if wrongly assigned to him
        ((OF,), 1, COMPLAINT, OF, None, False),
        ((CU, F, OF), 1, DENUNCIATION, J, None, False),
    ],
)
def test_who_may_know_the_sender(
    roles: tuple[Role, ...],
    officer_id: int,
    kind: Kind,
    office: Role,
    assignee: int | None,
    sees: bool,
) -> None:
    reader = officer(*roles, officer_id=officer_id)
    assert may_see_identity(reader, case(kind, office, assignee)) is sees


@pytest.mark.parametrize("kind", [FEEDBACK, DENUNCIATION])
def test_the_group_and_former_officers_never_know_the_sender(kind: Kind) -> None:
    assert not may_see_identity(None, case(kind, J))  # the officers' group
    assert not may_see_identity(officer(CH, active=False), case(kind, J))


def test_clock_is_not_needed_for_rules() -> None:
    assert datetime(2026, 3, 2, tzinfo=UTC).astimezone(HANOI).hour == 7


def test_config_example_documents_the_defaults() -> None:
    """Uncommented, the example's [cases] tables give exactly the defaults."""
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    cases = text[text.index("[cases]") :]
    uncommented = re.sub(r"^# (\w+ = )", r"\1", cases, flags=re.MULTILINE)
    assert load_case_settings(tomllib.loads(uncommented)["cases"]) == CaseSettings()
