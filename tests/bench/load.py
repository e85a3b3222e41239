"""Load the sandbox process plays against the bot, while new citizens time their first reply.

Each scenario posts its load at once, then a new citizen sends /start every
PROBE_EVERY seconds; a probe's latency is the time from its /start to the
bot's first message in its chat. Run inside `sandbox_process.py` (`load NAME`),
so the clients cost the bot's process nothing.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from sandbox import SandboxServer
from sandbox.harness import SimUser

PROBES = 40
PROBE_EVERY = 0.2  # seconds: 40 probes over 8 s, while the load is being served
PROBE_TIMEOUT = 60.0  # a probe not answered by then counts as unanswered (None)
CROWD_USERS, CROWD_UPDATES = 30, 1_200
GROUP_COMMANDS = 40
FLOOD_QUESTIONS = 60
QUESTIONS = (
    "lam giay khai sinh cho con can giay to gi",
    "Khai sinh quá hạn có bị phạt không?",
    "dang ky ket hon can nhung giay to gi",
    "lam so do o dau",
    "Xin bản sao trích lục khai sinh ở đâu?",
    "đăng ký tạm trú cần gì",
)


async def crowd(server: SandboxServer) -> None:
    """30 citizens send 1,200 updates of every ordinary kind, as fast as they can."""
    users = [server.user(2_000_000 + n, first_name="Dân") for n in range(CROWD_USERS)]
    actions: list[Callable[[SimUser, int], Any]] = [
        lambda u, n: u.send(QUESTIONS[n % len(QUESTIONS)]),
        lambda u, n: u.send("/help"),
        lambda u, n: u.send_sticker(),
        lambda u, n: u.send("/start"),
        lambda u, n: u.send("xin chào"),
        lambda u, n: u.send_location(),
        lambda u, n: u.send("ℹ️ Hướng dẫn"),
        lambda u, n: u.send("/track PA-7KX4M"),
    ]
    sent = 0
    for n in itertools.count():
        for user in users:
            if sent == CROWD_UPDATES:
                return
            await actions[n % len(actions)](user, n)
            sent += 1


async def group_flood(server: SandboxServer) -> None:
    """One member of a group sends 40 commands to the bot (Telegram: 20 messages a minute there)."""
    group = server.group(-1_000_000_000_001, title="Thôn Đồng Tâm")
    member = server.user(2_500_000, first_name="Hùng")
    for _ in range(GROUP_COMMANDS):
        await member.send_in(group, "/help")


async def chat_flood(server: SandboxServer) -> None:
    """One citizen sends 60 questions at once (Telegram: about one message a second to a chat)."""
    citizen = server.user(2_600_000, first_name="Lan")
    for n in range(FLOOD_QUESTIONS):
        await citizen.send(QUESTIONS[n % len(QUESTIONS)])


SCENARIOS = {"crowd": crowd, "group_flood": group_flood, "chat_flood": chat_flood}


async def first_reply(server: SandboxServer, user_id: int, timeout: float) -> float | None:  # noqa: ASYNC109
    """Seconds from a new citizen's /start to the bot's first message; None if none came."""
    user = server.user(user_id, first_name="Mới")
    loop = asyncio.get_running_loop()
    start = loop.time()
    await user.send("/start")
    try:
        await user.next_message(timeout=timeout)
    except AssertionError:
        return None
    return loop.time() - start


async def run(server: SandboxServer, name: str) -> dict[str, Any]:
    """Warm the bot up, post the scenario's load, probe; latencies in seconds (None: unanswered)."""
    if await first_reply(server, 2_900_000, timeout=120) is None:
        raise RuntimeError("the bot did not answer the warm-up /start")
    await SCENARIOS[name](server)

    async def probe(n: int) -> float | None:
        await asyncio.sleep(n * PROBE_EVERY)
        return await first_reply(server, 3_000_000 + n, PROBE_TIMEOUT)

    latencies = await asyncio.gather(*(probe(n) for n in range(PROBES)))
    return {
        "scenario": name,
        "latencies": list(latencies),
        "rejected_429": server.limits.rejected,
    }
