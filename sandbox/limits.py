"""Flood limits (Telegram's documented rates) and injected faults."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.errors import ApiError, for_status, too_many_requests


class Limits:
    """Sliding-window flood control: overall, per private chat, per group (off by default)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = False
        self.per_second = 30
        self.per_chat_per_second = 1
        self.per_group_per_minute = 20
        self.clock = clock
        self.rejected = 0
        self.rejected_by_chat: dict[int, int] = {}
        self._recent: list[float] = []
        self._chat_recent: dict[int, list[float]] = {}  # short lists: cheap at 100k chats

    def configure(
        self,
        enabled: bool = True,
        per_second: int | None = None,
        per_chat_per_second: int | None = None,
        per_group_per_minute: int | None = None,
    ) -> None:
        """Switch enforcement and optionally change the rates."""
        self.enabled = enabled
        if per_second is not None:
            self.per_second = per_second
        if per_chat_per_second is not None:
            self.per_chat_per_second = per_chat_per_second
        if per_group_per_minute is not None:
            self.per_group_per_minute = per_group_per_minute

    def check(self, chat_id: int | None, is_group: bool) -> None:
        """Count one send; raise 429 (and record it) when a window is full."""
        if not self.enabled:
            return
        now = self.clock()
        retry = self._window(self._recent, now, 1.0, self.per_second)
        chat_window: list[float] | None = None
        if retry is None and chat_id is not None:
            chat_window = self._chat_recent.setdefault(chat_id, [])
            span, cap = (
                (60.0, self.per_group_per_minute) if is_group else (1.0, self.per_chat_per_second)
            )
            retry = self._window(chat_window, now, span, cap)
        if retry is not None:
            self.rejected += 1
            if chat_id is not None:
                self.rejected_by_chat[chat_id] = self.rejected_by_chat.get(chat_id, 0) + 1
            raise too_many_requests(retry)
        self._recent.append(now)
        if chat_window is not None:
            chat_window.append(now)

    @staticmethod
    def _window(window: list[float], now: float, span: float, cap: int) -> int | None:
        stale = 0
        while stale < len(window) and window[stale] <= now - span:
            stale += 1
        if stale:
            del window[:stale]
        if len(window) < cap:
            return None
        return max(1, math.ceil(window[0] + span - now))


@dataclass(slots=True)
class Fault:
    """The next `count` calls matching method/chat fail (or are delayed)."""

    method: str | None
    status: int
    count: int
    chat_id: int | None = None
    retry_after: int = 1
    description: str | None = None
    delay: float = 0.0
    hits: int = field(default=0)

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        """Whether this fault applies to the call."""
        if self.count <= 0:
            return False
        if self.method is None:
            if method.lower() == "getupdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error(self) -> ApiError | None:
        """The error to answer with (None for a pure delay with status 200)."""
        if self.status == 200:
            return None
        return for_status(self.status, self.description, self.retry_after)


class Faults:
    """Injected failures, consumed in order of injection."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def inject(
        self,
        method: str | None = "sendMessage",
        status: int = 500,
        count: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
        description: str | None = None,
        delay: float = 0.0,
    ) -> Fault:
        """Fail the next `count` matching calls (method None: all but getUpdates; 200: delay)."""
        fault = Fault(method, status, count, chat_id, retry_after, description, delay)
        self.pending.append(fault)
        return fault

    def take(self, method: str, chat_id: int | str | None) -> Fault | None:
        """Consume one matching fault, if any."""
        if not self.pending:
            return None
        for fault in self.pending:
            if fault.matches(method, chat_id):
                fault.count -= 1
                fault.hits += 1
                if fault.count <= 0:
                    self.pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Forget all pending faults."""
        self.pending.clear()
