"""Which citizen's or officer's next message belongs to a consultation step.

Kept in the one conversation store (SQLite), as /post's awaited input is, so
a restart loses nobody's place: `{"step": ..., "id": ...}` under flow
"consult", where the step is a comment, a household, a compose or a
management step and the id is the consultation's (0 when there is none).
"""

from __future__ import annotations

from telegram import Update

from handlers.telegram.common import Context, recipient_of, services

FLOW = "consult"


async def expect(update: Update, context: Context, step: str, item: int) -> None:
    """Take the person's next message as `step` of consultation `item`."""
    data = {"step": step, "id": item}
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)


async def take(update: Update, context: Context) -> tuple[str, int]:
    """The step the person's message answers, ending it (a failed step is expected again)."""
    who, store = recipient_of(update, context), services(context).conversations
    data = await store.get(who, FLOW) or {}
    await store.clear(who, FLOW)
    step, item = data.get("step"), data.get("id")
    return (step, item) if isinstance(step, str) and isinstance(item, int) else ("", 0)
