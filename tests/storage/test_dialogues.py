"""Dialogues on a real database: questions numbered once under a crowd, one "me too" per
citizen under presses at once, and the sweep finishing what a crash interrupted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.cases.model import Topic
from bot.cases.service import CaseService
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.dialogues import rules
from bot.dialogues.model import Kind, NewQuestion, Question, State
from bot.dialogues.service import DialogueService
from bot.messaging.channels import Recipient
from bot.messaging.conversations import ConversationStore
from bot.messaging.outbox import Outbox, OutboxNotifier
from bot.outreach.audience import Audience
from bot.outreach.broadcasts import Broadcasts
from bot.people.access import AccessControl
from bot.people.audit import AuditLog
from bot.people.citizens import Citizen, CitizenRepository
from bot.people.officers import OfficerRepository

AUTHOR = Recipient("cli", "operator")


def service(db: Database, clock: ManualClock, settings: Settings) -> DialogueService:
    outbox = Outbox(db, clock)
    officers, citizens = OfficerRepository(db, clock), CitizenRepository(db, clock)
    conversations = ConversationStore(db, clock, timedelta(hours=24))
    access = AccessControl(officers, AuditLog(db, clock))
    cases = CaseService.create(
        db, settings, clock, officers, citizens, access, OutboxNotifier(outbox),
        conversations=conversations,
    )  # fmt: skip
    broadcasts = Broadcasts(db, clock, outbox)
    return DialogueService(db, clock, settings, broadcasts, outbox, cases, conversations)


async def citizens(db: Database, clock: ManualClock, count: int) -> list[Citizen]:
    repo = CitizenRepository(db, clock)
    return [
        await repo.create(Recipient.telegram(5000 + i), f"c{i}", "vi", "dong-tam")
        for i in range(count)
    ]


async def announced(svc: DialogueService, clock: ManualClock) -> int:
    draft = await svc.start_draft(AUTHOR, None, Kind.DIALOGUE)
    await svc.update_draft(
        AUTHOR, draft.id, title="Đối thoại", place="Hội trường",
        starts_at=clock.now() + timedelta(days=3), questions_close_at=clock.now() + timedelta(days=2),
        audience=Audience("village", ("dong-tam",)),
    )  # fmt: skip
    return (await svc.announce(draft.id)).id


async def ask(
    db: Database, clock: ManualClock, svc: DialogueService, citizen: Citizen, dialogue_id: int
) -> int:
    """What the form's last press does: the form is open, then the question is stored."""
    form = ConversationStore(db, clock, timedelta(hours=24))
    await form.put(citizen.recipient, "dialogue", {"step": "public"})
    text = f"câu của {citizen.display_name}"
    question = NewQuestion(text, None, Topic.ROADS, anonymous=False, public=True)
    return await svc.ask(citizen.recipient, citizen, dialogue_id, question)


async def test_forty_questions_at_once_are_numbered_one_to_forty(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    crowd = await citizens(db, clock, 40)
    dialogue_id = await announced(svc, clock)
    numbers = await asyncio.gather(*(ask(db, clock, svc, c, dialogue_id) for c in crowd))
    assert sorted(numbers) == list(range(1, 41))


async def test_presses_at_once_add_one_me_too_per_citizen(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    asker, *others = await citizens(db, clock, 11)
    dialogue_id = await announced(svc, clock)
    await ask(db, clock, svc, asker, dialogue_id)
    (question,) = await svc.public_questions(dialogue_id)
    presses = [svc.repo.support(question.id, c.id) for c in others for _ in range(3)]
    added = await asyncio.gather(*presses)
    assert sum(added) == 10
    (counted,) = await svc.public_questions(dialogue_id)
    assert counted.weight == 11


async def test_the_sweep_queues_an_announcement_and_files_answers_a_crash_left_undone(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    await citizens(db, clock, 3)
    draft = await svc.start_draft(AUTHOR, None, Kind.VOTER_MEETING)
    await svc.update_draft(
        AUTHOR, draft.id, title="Tiếp xúc cử tri", starts_at=clock.now() + timedelta(days=3),
        questions_close_at=clock.now() + timedelta(days=2),
    )  # fmt: skip
    async with db.transaction() as tx:  # announced, then the process died
        await svc.repo.move(tx, draft.id, State.DRAFT, State.OPEN, announced_at=clock.now())
    for _ in range(2):
        await svc.sweep()
    assert await db.scalar("SELECT COUNT(*) FROM broadcasts WHERE author_channel = 'dialogue'") == 1
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 3

    clock.advance(timedelta(days=4))
    async with db.transaction() as tx:  # finished, then the process died before /news
        await svc.repo.move(tx, draft.id, State.OPEN, State.FINISHED, finished_at=clock.now())
    for _ in range(2):
        await svc.sweep()
    news = await svc.get(draft.id)
    assert news.news_id is not None
    assert await db.scalar("SELECT COUNT(*) FROM broadcasts WHERE author_channel = 'dialogue'") == 2


async def test_an_answer_racing_the_finish_is_refused_and_the_question_stays_a_case(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    (asker,) = await citizens(db, clock, 1)
    dialogue_id = await announced(svc, clock)
    await ask(db, clock, svc, asker, dialogue_id)
    (question,) = await svc.questions(dialogue_id)
    clock.advance(timedelta(days=3))
    (made,) = await svc.finish(dialogue_id)
    async with db.transaction() as tx:  # the answer's own check passed before the finish
        assert await svc.repo.record_answer(tx, [question.id], "Đã trả lời") == []
    (after,) = await svc.questions(dialogue_id)
    assert after.answer is None and after.case_code == made.case_code is not None
    with pytest.raises(rules.DialogueError) as refused:
        await svc.answer(dialogue_id, 1, "Đã trả lời")
    assert refused.value.text == rules.NOT_OPEN


async def test_a_citizen_sends_at_most_five_questions_to_one_event(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    (asker,) = await citizens(db, clock, 1)
    dialogue_id = await announced(svc, clock)
    numbers = [await ask(db, clock, svc, asker, dialogue_id) for _ in range(rules.MAX_QUESTIONS)]
    assert numbers == [1, 2, 3, 4, 5]
    with pytest.raises(rules.DialogueError) as refused:
        await ask(db, clock, svc, asker, dialogue_id)
    assert refused.value.text == rules.TOO_MANY


async def test_a_group_is_undone_by_one_number(
    db: Database, clock: ManualClock, settings: Settings
) -> None:
    svc = service(db, clock, settings)
    crowd = await citizens(db, clock, 4)
    dialogue_id = await announced(svc, clock)
    for citizen in crowd:
        await ask(db, clock, svc, citizen, dialogue_id)

    def groups(found: list[Question]) -> dict[int, int | None]:
        return {q.number: q.group_lead for q in found}

    found = await svc.group(dialogue_id, (1, 2, 3))
    assert groups(found) == {1: None, 2: 1, 3: 1, 4: None}
    assert groups(await svc.group(dialogue_id, (2,))) == {1: None, 2: None, 3: 1, 4: None}
    assert groups(await svc.group(dialogue_id, (4, 1))) == {1: 4, 2: None, 3: 4, 4: None}
    assert groups(await svc.group(dialogue_id, (4,))) == {1: None, 2: None, 3: None, 4: None}
