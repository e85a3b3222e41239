"""Pacing of sends: a global rate with pauses on flood waits, and spacing per chat."""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict, deque

from bot.messaging.channels import TELEGRAM, Recipient


class Pacer:
    """Hands out send slots `interval` apart; `pause` holds every slot back.

    The interval is (1 + margin) / rate: slots exactly 1/rate apart would
    let a few milliseconds of network jitter put rate+1 requests in one
    second of the server's window, and Telegram answers that with 429.

    Slots are handed out ahead, so callers that wake late (the event loop
    was busy: a slow query, a starved CPU) would all send at once, on top of
    the slots that follow. The sends of the last (1 + margin) seconds are
    kept, and no send is let through while `rate` of them are within it:
    however late anyone wakes, no second holds more than `rate` sends.
    """

    def __init__(self, rate: float | None, margin: float = 0.0) -> None:
        self.interval = 0.0 if rate is None else (1.0 + margin) / rate
        self.span = 1.0 + margin
        self._cap = 0 if rate is None else math.ceil(rate)  # sends per span; 0: no window
        self._sent: deque[float] = deque()  # when the sends within the last span went
        self._next = 0.0
        self._paused_until = 0.0

    async def wait(self) -> None:
        """Return when this caller may send."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            slot = max(now, self._next, self._paused_until, self._room_at(now))
            self._next = slot + self.interval
            if slot > now:
                await asyncio.sleep(slot - now)
            # A flood wait that arrived while we slept applies to us too, and
            # so do the sends of callers that woke before us.
            now = loop.time()
            if self._paused_until <= now and self._room_at(now) <= now:
                if self._cap:
                    self._sent.append(now)
                return

    def due(self, now: float) -> float:
        """When the next send may start (`now` or earlier: it may start now); takes nothing.

        With `take`, for a caller that looks instead of waiting: the sender
        claims a row of a channel with a pace of its own only when it may go.
        """
        return max(self._next, self._paused_until, self._room_at(now))

    def take(self, now: float) -> None:
        """A send starts now, as `due` allowed. A look that came a little late
        (up to one interval) does not delay the slots after it."""
        self._next = max(self._next, now - self.interval) + self.interval
        if self._cap:
            self._sent.append(now)

    def _room_at(self, now: float) -> float:
        """When the window next has room for a send (`now` if it has room now)."""
        sent = self._sent
        while sent and sent[0] <= now - self.span:
            sent.popleft()
        return sent[0] + self.span if self._cap and len(sent) >= self._cap else now

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (the platform asked us to wait)."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)
        self._next = max(self._next, until)


class ChatSpacing:
    """At most one send per chat per `interval` (`group_interval` for groups).

    A chat is reserved while its send is on its way, then stamped when it
    was answered, so two sends to one chat are never closer. Only chats
    within the longer interval are remembered, so memory stays small.
    """

    def __init__(self, interval: float, group_interval: float | None = None) -> None:
        self.interval = interval
        self.group_interval = max(interval, group_interval or interval)
        self._last: OrderedDict[tuple[str, str], float] = OrderedDict()

    def interval_for(self, recipient: Recipient) -> float:
        # Telegram's group and channel chat ids are negative (20 messages a minute each).
        group = recipient.channel == TELEGRAM and recipient.external_id.startswith("-")
        return self.group_interval if group else self.interval

    async def reserve(self, recipient: Recipient) -> None:
        key = (recipient.channel, recipient.external_id)
        interval = self.interval_for(recipient)
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            last = self._last.get(key)
            if last is None or (last != math.inf and now - last >= interval):
                self._last[key] = math.inf
                self._last.move_to_end(key)
                self._forget_older_than(now - self.group_interval)
                return
            await asyncio.sleep(0.05 if last == math.inf else interval - (now - last))

    def free_at(self, recipient: Recipient, now: float) -> float:
        """The loop time from which `recipient` may be sent to (`now` if already).

        A chat with a send on its way counts as sent now: its answer is near.
        """
        last = self._last.get((recipient.channel, recipient.external_id))
        if last is None:
            return now
        return max(now, (now if last == math.inf else last) + self.interval_for(recipient))

    def sent(self, recipient: Recipient) -> None:
        key = (recipient.channel, recipient.external_id)
        self._last[key] = asyncio.get_running_loop().time()
        self._last.move_to_end(key)

    def __len__(self) -> int:
        return len(self._last)

    def _forget_older_than(self, moment: float) -> None:
        while self._last:
            key, stamp = next(iter(self._last.items()))
            if stamp >= moment:  # inf (in flight) and recent stamps stay
                return
            del self._last[key]
