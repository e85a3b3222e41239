"""Numbered choices for channels without buttons: the list each chat may answer by number.

A channel that cannot show buttons under a message lists them as numbered
lines; the person answers with the number. Each chat has at most one list:
a newer list replaces it, and the bot's next reply without one closes it
(the flow moved on), so a number always means a line of the latest list the
conversation showed. Messages the bot sends on its own (the outbox: a
notice, a broadcast, an answer's photo) leave it open. A closed list is
remembered as closed, so a late number is told the list is no longer open
instead of being read as a question. Kept in SQLite only (a restart keeps an
open list); a reply costs a read, and a write only when it closes a list.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from bot.core.clock import Clock, to_db
from bot.core.db import Database

# "2", " 2 ", "số 2", "so 2", "#2", "2." : a number and nothing else.
_NUMBER = re.compile(r"^\s*(?:số|so|#)?\s*(\d{1,3})\s*[.)]?\s*$", re.IGNORECASE)


def choice_number(text: str) -> int | None:
    """The number a message answers a list with, or None when it is not just a number."""
    found = _NUMBER.match(unicodedata.normalize("NFC", text))
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Choices:
    """A chat's latest list: the message that showed it and each number's packed action."""

    message_id: str
    actions: tuple[str, ...]
    open: bool


class ChoiceStore:
    """The latest list of every chat on one channel: a view on the table, no copy kept.

    Any number of stores of one channel agree (the application's handlers
    and its outbox sender each have one), since each asks the database.
    """

    def __init__(self, db: Database, clock: Clock, channel: str) -> None:
        self._db = db
        self._clock = clock
        self._channel = channel

    async def get(self, chat: str) -> Choices | None:
        """The chat's latest list, open or closed; None when it never had one."""
        row = await self._db.fetchone(
            "SELECT message_id, actions, open FROM choices WHERE channel = ? AND external_id = ?",
            (self._channel, chat),
        )
        if row is None:
            return None
        return Choices(row[0], tuple(json.loads(row[1])), bool(row[2]))

    async def show(self, chat: str, message_id: str, actions: list[str]) -> None:
        """The bot showed `chat` a new list: it replaces the one before."""
        await self._db.execute(
            "INSERT INTO choices (channel, external_id, message_id, actions, open, updated_at)"
            " VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (channel, external_id) DO UPDATE SET"
            " message_id = excluded.message_id, actions = excluded.actions, open = 1,"
            " updated_at = excluded.updated_at",
            (self._channel, chat, message_id, json.dumps(actions), to_db(self._clock.now())),
        )

    async def close(self, chat: str, message_id: str | None = None) -> None:
        """Close the chat's list (given `message_id`, only if it is still that message's).

        Read first: most replies find nothing open, and a read costs no write.
        """
        found = await self.get(chat)
        if found is None or not found.open or message_id not in (None, found.message_id):
            return
        await self._db.execute(
            "UPDATE choices SET open = 0, updated_at = ?"
            " WHERE channel = ? AND external_id = ? AND message_id = ?",
            (to_db(self._clock.now()), self._channel, chat, found.message_id),
        )
