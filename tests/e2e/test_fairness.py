"""Chats are served side by side over HTTP: each chat in order, none held up by another's flood wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.faq.matcher import Verdict
from sandbox import SandboxServer
from tests.e2e.conftest import RunningBot
from tests.faq_queries import QUERIES

OTHER = "(not an answer)"


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Wait for something the sandbox records but no chat shows (a refused call)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {timeout}s")
        await asyncio.sleep(0.01)


def answered_chats(sandbox: SandboxServer) -> list[int | str | None]:
    """The chats of the bot's accepted sendMessage calls, in the order the sandbox took them."""
    return [c.chat_id for c in sandbox.state.calls_for("sendMessage") if c.status == 200]


async def answered_questions(bot: RunningBot, count: int) -> list[tuple[str, str]]:
    """`count` questions the FAQ answers at once, with the first line of each answer."""
    found: dict[str, tuple[str, str]] = {}
    for _, question, _ in QUERIES:
        reply = await bot.services.faq.ask(question)
        if reply.verdict is Verdict.CONFIDENT and reply.best is not None:
            found.setdefault(
                reply.best.entry.question, (question, f"❓ {reply.best.entry.question}")
            )
        if len(found) == count:
            break
    return list(found.values())


async def test_each_citizens_replies_come_in_the_order_they_wrote(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    asked = await answered_questions(running_bot, 10)
    citizens = [sandbox.user(1001 + n, first_name=f"Dân {n}") for n in range(3)]
    # 20 messages each, all at once and interleaved, each citizen in another order:
    # questions (a search and a durable write each) between unknown commands
    # (answered at once), so that a later message would overtake an earlier one.
    sequences = [
        [asked[(n + k) % len(asked)] if k % 2 == 0 else ("/abc", OTHER) for k in range(20)]
        for n in range(len(citizens))
    ]
    for k in range(20):
        for citizen, sequence in zip(citizens, sequences, strict=True):
            await citizen.send(sequence[k][0])
    for citizen, sequence in zip(citizens, sequences, strict=True):
        replies = [await citizen.next_message(timeout=90) for _ in sequence]
        seen = [r.text.split("\n")[0] if r.text.startswith("❓") else OTHER for r in replies]
        assert seen == [first for _, first in sequence]


async def test_a_chat_in_a_flood_wait_holds_up_no_other_chat(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    sandbox.limits.configure(enabled=True)  # Telegram's: 30/s, 1/s per chat, 20/min per group
    (first, _), (second, _), (third, _) = await answered_questions(running_bot, 3)
    lan, hung = sandbox.user(1001, first_name="Lan"), sandbox.user(1002, first_name="Hùng")
    flood = sandbox.inject("sendMessage", status=429, chat_id=1001, retry_after=5)
    for question in (first, second, third):
        await lan.send(question)
    await until(lambda: flood.hits == 1)  # Lan's first answer was refused: she waits 5 s
    # Hùng talks with the bot meanwhile: two exchanges, the second only once the
    # first is answered (and a second after it, his chat's own limit).
    await hung.send("/start")
    await hung.wait_for(contains="Xin chào", timeout=90)
    await hung.send("/help")
    await hung.wait_for(contains="Tôi có thể", timeout=90)
    for _ in range(3):
        await lan.next_message(timeout=90)
    order = answered_chats(sandbox)
    last_to_hung = len(order) - 1 - order[::-1].index(1002)
    assert last_to_hung < order.index(1001)  # all of it before any of Lan's backlog
    assert order.count(1001) == 3


async def test_a_group_over_its_pace_holds_up_no_citizen(
    sandbox: SandboxServer, running_bot: RunningBot
) -> None:
    group = sandbox.group(-1001, title="Thôn Đồng Tâm")
    member, lan = sandbox.user(1001, first_name="Hùng"), sandbox.user(1002, first_name="Lan")
    for _ in range(21):  # the bot answers 20 a minute in a group: the 21st waits
        await member.send_in(group, "/help")
    for _ in range(20):
        await group.next_message(timeout=90)
    await lan.send("/start")
    await lan.next_message(timeout=90)
    await group.next_message(timeout=90)
    order = answered_chats(sandbox)
    assert order.index(1002) < len(order) - 1 and order[-1] == -1001
