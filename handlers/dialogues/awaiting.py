"""Which citizen's or officer's next message belongs to a dialogue step.

Kept in the one conversation store (SQLite), so a restart loses nobody's
place: `{"step": ..., "id": ...}` under flow "dialogue", where the step is a
citizen's question (with what they chose so far) or an officer's composer
or management step, and the id is the event's.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from handlers.telegram.common import Context, recipient_of, services

FLOW = "dialogue"


async def expect(
    update: Update, context: Context, step: str, item: int, extra: dict[str, Any] | None = None
) -> None:
    """Take the person's next message (or press) as `step` of event `item`, keeping `extra`."""
    data = {**(extra or {}), "step": step, "id": item}
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)


async def peek(update: Update, context: Context) -> dict[str, Any]:
    """The person's dialogue step and what it holds, left in place ({} when none)."""
    store = services(context).conversations
    return await store.get(recipient_of(update, context), FLOW) or {}


async def take(update: Update, context: Context) -> tuple[str, int, dict[str, Any]]:
    """The step the person's message answers, ending it (a failed step is expected again)."""
    who, store = recipient_of(update, context), services(context).conversations
    data = await store.get(who, FLOW) or {}
    await store.clear(who, FLOW)
    step, item = data.get("step"), data.get("id")
    if isinstance(step, str) and isinstance(item, int):
        return step, item, data
    return "", 0, {}
