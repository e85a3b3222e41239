"""The conversation store on a real SQLite file: restarts, staleness, one flow per person."""

import shutil
from datetime import timedelta
from pathlib import Path

from bot.cases.drafts import INTAKE, OFFICER, draft_to_data
from bot.cases.model import Draft, Kind
from bot.core.clock import to_db
from bot.core.db import Database
from bot.core.paths import MIGRATIONS_DIR
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore

LAN = Recipient("telegram", "1001")
LAN_ON_ZALO = Recipient("zalo_bot", "1001")
HOA = Recipient("telegram", "2001")
AGE = timedelta(hours=48)
RENAMED = "0009_conversations.sql"


async def test_conversations_survive_a_restart_and_stale_ones_are_dropped(db, clock) -> None:
    store = ConversationStore(db, clock, AGE)
    await store.put(LAN, INTAKE, draft_to_data(Draft(step="topic", kind=Kind.PETITION)))
    await store.put(HOA, "post", {"step": "when", "draft": 7})
    fresh = ConversationStore(db, clock, AGE)
    await fresh.load()
    assert fresh.flow_of(LAN) == INTAKE and fresh.flow_of(HOA) == "post"
    assert (await fresh.get(LAN, INTAKE) or {})["kind"] == "petition"
    assert await fresh.get(HOA, "post") == {"step": "when", "draft": 7}
    clock.advance(timedelta(hours=49))
    await fresh.load()  # stale conversations are dropped at start
    assert fresh.flow_of(LAN) is None and fresh.flow_of(HOA) is None


async def test_one_conversation_per_person_and_channel(db, clock) -> None:
    store = ConversationStore(db, clock, AGE)
    await store.put(HOA, OFFICER, {"case": 3})
    await store.put(HOA, "post", {"step": "content", "draft": 1})  # the latest prompt wins
    assert store.flow_of(HOA) == "post" and await store.get(HOA, OFFICER) is None
    await store.put(LAN_ON_ZALO, INTAKE, {"step": "kind"})
    assert store.flow_of(LAN) is None  # the same number on another channel is someone else


async def test_clearing_a_flow_leaves_another_flow_alone(db, clock) -> None:
    store = ConversationStore(db, clock, AGE)
    await store.put(HOA, OFFICER, {"case": 3})
    await store.clear(HOA, "post")  # e.g. a post's library item chosen after a case reply began
    assert store.flow_of(HOA) == OFFICER and await store.get(HOA, OFFICER) == {"case": 3}
    await store.clear(HOA, OFFICER)
    assert store.flow_of(HOA) is None and await store.get(HOA, OFFICER) is None


async def test_the_migration_keeps_forms_typed_before_it(tmp_path: Path, clock) -> None:
    old = tmp_path / "migrations"
    old.mkdir()
    for script in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if script.name < RENAMED:  # the schema as it was just before the rename
            shutil.copy(script, old)
    path = tmp_path / "bot.db"
    before = await Database.open(path, migrations=old)
    await before.execute(
        "INSERT INTO case_drafts (channel, external_id, flow, data, updated_at)"
        " VALUES ('telegram', '1001', 'intake', '{\"step\": \"topic\"}', ?)",
        (to_db(clock.now()),),
    )
    await before.close()
    after = await Database.open(path)
    try:
        store = ConversationStore(after, clock, AGE)
        await store.load()
        assert await store.get(LAN, INTAKE) == {"step": "topic"}
    finally:
        await after.close()
