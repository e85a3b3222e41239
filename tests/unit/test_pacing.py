"""The global pace holds in every second even when the event loop wakes callers late."""

from __future__ import annotations

import asyncio
import time

from bot.messaging.pacing import Pacer


async def test_a_stalled_loop_never_puts_more_than_the_rate_in_one_second() -> None:
    pacer = Pacer(100, margin=0.03)
    wire = asyncio.Semaphore(8)  # as the sender: a few callers hold slots ahead
    sent: list[float] = []
    under_way = asyncio.Event()

    async def send() -> None:
        async with wire:
            await pacer.wait()
            sent.append(time.monotonic())
            if len(sent) == 30:
                under_way.set()

    async def stall() -> None:
        await under_way.wait()
        time.sleep(0.08)  # noqa: ASYNC251 - the loop itself is blocked, as by a slow call

    await asyncio.gather(stall(), *(send() for _ in range(140)))
    busiest = max(sum(1 for u in sent if t <= u < t + 1.0) for t in sent)
    assert busiest <= 100
