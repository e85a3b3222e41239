"""Presses played by the sandbox process against the bot: a village vote on schedule.

Run inside `sandbox_process.py` (`vote PLAN`), so the load generator costs the
bot's process nothing. PLAN is a JSON file of `[second, user id, callback data]`;
each press is put on the update queue at its second, and its reply time is
from then to the bot's answerCallbackQuery (noted when the sandbox handles it,
not by polling).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from typing import Any

from sandbox import SandboxServer, actions

DRAIN_TIMEOUT = 300.0  # seconds after the last press for the answers still owed


async def vote(server: SandboxServer, plan_path: str) -> dict[str, Any]:
    """Play the plan; the reply times in seconds (None: never answered)."""
    state = server.state
    plan = json.loads(await asyncio.to_thread(Path(plan_path).read_text, encoding="utf-8"))
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    done = asyncio.Event()
    original = state.emit

    def emit(chat: Any, kind: str, message_id: int = 0, **extra: Any) -> None:
        if kind == "callback_answer":
            answered[extra["query_id"]] = time.perf_counter()
            if len(answered) == len(plan):
                done.set()
        original(chat, kind, message_id, **extra)

    state.emit = emit  # type: ignore[method-assign]
    begin = time.perf_counter()
    late = 0.0
    for at, user_id, data in plan:
        delay = begin + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late = max(late, -delay)
        user, chat = state.users[user_id], state.chats[user_id]
        query = actions.callback(state, user, chat, chat.bot_message_ids[0], data)
        sent[query.id] = time.perf_counter()
    sent_in = time.perf_counter() - begin
    with contextlib.suppress(TimeoutError):  # the unanswered count as None
        await asyncio.wait_for(done.wait(), DRAIN_TIMEOUT)
    state.emit = original  # type: ignore[method-assign]
    return {
        "latencies": [answered[q] - t if q in answered else None for q, t in sent.items()],
        "sent_in": sent_in,
        "most_behind": late,
        "rejected_429": server.limits.rejected,
    }
