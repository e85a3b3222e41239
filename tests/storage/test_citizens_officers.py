"""Repositories and the subscription rules on a real SQLite file."""

from datetime import timedelta

import pytest

from bot.messaging.channels import Recipient
from bot.people.access import AccessControl, PermissionDenied
from bot.people.audit import AuditLog
from bot.people.citizens import CitizenRepository
from bot.people.officers import DuplicateOfficer, OfficerRepository, Role, UnknownRole
from bot.people.subscriptions import Subscriptions, UnknownChoice, parse_start_payload

LAN = Recipient.telegram(1001)
ZALO_USER = Recipient("zalo", "8472649183746")


@pytest.fixture
def subscriptions(db, clock, settings) -> Subscriptions:
    return Subscriptions(CitizenRepository(db, clock), settings)


async def test_new_citizen_then_choices_are_saved(subscriptions, clock) -> None:
    result = await subscriptions.start(LAN, "Lan", "vi-VN")
    assert result.is_new and result.citizen.language == "vi" and result.citizen.subscribed
    await subscriptions.choose_language(LAN, "en")
    await subscriptions.choose_village(LAN, "dong-tam")
    await subscriptions.toggle_topic(LAN, "policy")
    await subscriptions.toggle_topic(LAN, "reform")
    clock.advance(timedelta(minutes=1))
    citizen = await subscriptions.toggle_topic(LAN, "policy")
    assert citizen.language == "en"
    assert citizen.village_id == "dong-tam"
    assert citizen.topics == {"reform"}
    assert citizen.updated_at > citizen.created_at


async def test_a_telegram_name_enters_without_invisible_characters(subscriptions) -> None:
    result = await subscriptions.start(LAN, "\u202eLan\u200b\x00", "vi")
    assert result.citizen.display_name == "Lan"


async def test_unknown_choices_are_refused(subscriptions) -> None:
    await subscriptions.start(LAN, "Lan", None)
    for call, value in (
        (subscriptions.choose_language, "fr"),
        (subscriptions.choose_village, "atlantis"),
        (subscriptions.toggle_topic, "gossip"),
    ):
        with pytest.raises(UnknownChoice):
            await call(LAN, value)


async def test_unsubscribe_and_resubscribe_keep_settings(subscriptions) -> None:
    await subscriptions.start(LAN, "Lan", None)
    await subscriptions.choose_village(LAN, "tan-hung")
    await subscriptions.finish_onboarding(LAN)
    assert not (await subscriptions.unsubscribe(LAN)).subscribed
    again = await subscriptions.start(LAN, "Lan", None)
    assert not again.is_new and again.resubscribed
    assert again.citizen.subscribed and again.citizen.village_id == "tan-hung"


async def test_deep_link_presets_the_village(subscriptions, settings) -> None:
    assert parse_start_payload("v_viet-tien", settings) == "viet-tien"
    assert parse_start_payload("v_nowhere", settings) is None
    assert parse_start_payload("'; DROP TABLE", settings) is None
    result = await subscriptions.start(LAN, "Lan", None, payload="v_viet-tien")
    assert result.citizen.village_id == "viet-tien" and result.preset_village == "viet-tien"


async def test_a_zalo_user_is_a_citizen_too(subscriptions) -> None:
    await subscriptions.start(LAN, "Lan", None)
    result = await subscriptions.start(ZALO_USER, "Lan trên Zalo", None)
    assert result.is_new and result.citizen.recipient == ZALO_USER
    assert result.citizen.id != (await subscriptions.find(LAN)).id


async def test_blocked_citizen_is_marked_and_start_clears_it(subscriptions) -> None:
    await subscriptions.start(LAN, "Lan", None)
    await subscriptions.mark_blocked(LAN)
    assert (await subscriptions.find(LAN)).blocked
    assert (await subscriptions.start(LAN, "Lan", None)).citizen.blocked is False


async def test_officers_roles_duplicates_and_removal(db, clock) -> None:
    officers = OfficerRepository(db, clock)
    officer = await officers.add(
        Recipient.telegram(5), "Chị\u202e Hoa\u200b", {Role.CULTURE, Role.OFFICE}
    )
    assert officer.roles == {Role.CULTURE, Role.OFFICE} and officer.name == "Chị Hoa"
    with pytest.raises(DuplicateOfficer):
        await officers.add(Recipient.telegram(5), "Chị Hoa", {Role.CULTURE})
    with pytest.raises(UnknownRole, match="known roles"):
        Role.parse("mayor")
    await officers.deactivate(Recipient.telegram(5))
    assert await officers.get(Recipient.telegram(5)) is None
    back = await officers.add(Recipient.telegram(5), "Chị Hoa", {Role.JUSTICE})
    assert back.active and back.roles == {Role.JUSTICE}
    assert [o.name for o in await officers.with_role(Role.JUSTICE)] == ["Chị Hoa"]


async def test_access_control_audits_refusals_and_actions(db, clock) -> None:
    officers, audit = OfficerRepository(db, clock), AuditLog(db, clock)
    access = AccessControl(officers, audit)
    chairman = await officers.add(Recipient.telegram(9), "Ông Nam", {Role.CHAIRMAN})
    with pytest.raises(PermissionDenied):
        await access.authorize(LAN, "command:audit", frozenset({Role.CHAIRMAN}))
    with pytest.raises(PermissionDenied):
        await access.authorize(Recipient.telegram(9), "post", frozenset({Role.CULTURE}))
    assert (
        await access.authorize(Recipient.telegram(9), "command:audit", frozenset({Role.CHAIRMAN}))
        == chairman
    )
    await access.done(chairman, "command:audit")
    entries = await audit.recent()
    assert [(e.action, e.outcome) for e in reversed(entries)] == [
        ("command:audit", "denied"),
        ("post", "denied"),
        ("command:audit", "ok"),
    ]


async def test_audit_log_is_append_only(db, clock) -> None:
    audit = AuditLog(db, clock)
    await audit.record(LAN, "x")
    with pytest.raises(Exception, match="append-only"):
        await db.execute("DELETE FROM audit_log")
    with pytest.raises(Exception, match="append-only"):
        await db.execute("UPDATE audit_log SET action = 'y'")


async def test_officer_is_served_in_the_language_chosen_as_citizen(
    db, clock, subscriptions
) -> None:
    officers = OfficerRepository(db, clock)
    await officers.add(Recipient.telegram(1001), "Lan", {Role.OFFICE})
    assert (await officers.get(LAN)).language == "vi"
    await subscriptions.start(LAN, "Lan", "en")
    assert (await officers.get(LAN)).language == "en"


async def test_the_speaker_is_the_citizen_language_and_the_officer_in_one_read(
    db, clock, subscriptions
) -> None:
    officers = OfficerRepository(db, clock)
    nobody = await officers.speaker(Recipient.telegram(404))
    assert nobody.citizen_language is None and nobody.officer is None
    await subscriptions.start(LAN, "Lan", "en")
    citizen = await officers.speaker(LAN)
    assert citizen.citizen_language == "en" and citizen.officer is None
    hoa = Recipient.telegram(5)
    await officers.add(hoa, "Chị Hoa", {Role.CULTURE, Role.OFFICE})
    officer = await officers.speaker(hoa)
    assert officer.citizen_language is None and officer.officer == await officers.get(hoa)
    await officers.add(LAN, "Lan", {Role.OFFICE})
    both = await officers.speaker(LAN)
    assert both.citizen_language == "en" and both.officer == await officers.get(LAN)
    await officers.deactivate(hoa)
    former = (await officers.speaker(hoa)).officer
    assert former is not None and not former.active  # the menu refresh takes its menu away
