"""The sandbox's chats kept in a small SQLite file, so a restart shows every chat as it was.

Real Telegram keeps a chat's messages, their edits and buttons, and the reply
keyboard a user was last given, whatever happens to the bot. The web chat does
the same when given a history file: every event of a chat is written as it
happens (one transaction each), and a new server on the same file starts with
the users, chats, messages, events, files and keyboards the last one had.
Standard library only: the sandbox stands alone.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sandbox.models import JSON, ChatRec, Event, FileRec, MessageRec, Persona, UserRec

if TYPE_CHECKING:
    from sandbox.state import SandboxState

# Message fields that hold a file, as the Bot API names them.
_FILE_FIELDS = ("document", "voice", "audio", "video", "animation", "sticker", "video_note")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS personas (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chats (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE TABLE IF NOT EXISTS events (
    chat_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,
    message_id INTEGER NOT NULL, extra TEXT,
    PRIMARY KEY (chat_id, seq)
);
CREATE TABLE IF NOT EXISTS blobs (sha TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS files (file_id TEXT PRIMARY KEY, sha TEXT, data TEXT NOT NULL);
"""


class ChatHistory:
    """Write-through storage of the sandbox's world; `load` puts it back into a state."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._saved_files: set[str] = set()
        self.instance = self._meta("instance") or self._new_instance()

    # --- the connection -------------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        """The open connection (opened again after `close`)."""
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses no committed event
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close the file (the server stopped)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _new_instance(self) -> str:
        # Names this history for the page, which remembers per history which
        # alerts it has shown: a fresh file starts with nothing shown.
        instance = secrets.token_hex(8)
        self.db.execute("INSERT INTO meta (key, value) VALUES ('instance', ?)", (instance,))
        return instance

    # --- writing --------------------------------------------------------------------------
    def save_user(self, user: UserRec) -> None:
        """A user was created or changed."""
        self.db.execute(
            "INSERT OR REPLACE INTO users (id, data) VALUES (?, ?)", (user.id, _user_json(user))
        )

    def save_persona(self, persona: Persona) -> None:
        """A persona the web chat offers was added."""
        data = json.dumps(_persona_dict(persona), ensure_ascii=False)
        self.db.execute(
            "INSERT OR REPLACE INTO personas (id, data) VALUES (?, ?)", (persona.id, data)
        )

    def record(self, state: SandboxState, chat: ChatRec, event: Event | None) -> None:
        """An event happened in `chat` (None: only its keyboard state changed): write it all."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO chats (id, data) VALUES (?, ?)", (chat.id, _chat_json(chat))
            )
            if chat.user is not None:
                db.execute(
                    "INSERT OR REPLACE INTO users (id, data) VALUES (?, ?)",
                    (chat.user.id, _user_json(chat.user)),
                )
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_update_id', ?)",
                (str(state.updates.next_id),),
            )
            if event is None:
                return
            kind, message_id, extra = event
            db.execute(
                "INSERT OR REPLACE INTO events (chat_id, seq, kind, message_id, extra)"
                " VALUES (?, ?, ?, ?, ?)",
                (chat.id, len(chat.events), kind, message_id, _dumps(extra)),
            )
            message = chat.messages.get(message_id)
            if message is not None:
                db.execute(
                    "INSERT OR REPLACE INTO messages (chat_id, message_id, data) VALUES (?, ?, ?)",
                    (chat.id, message_id, _message_json(message)),
                )
                self._save_files(db, state, message.data)

    def _save_files(self, db: sqlite3.Connection, state: SandboxState, data: JSON) -> None:
        """The files a message shows, once each (photo sizes share their bytes)."""
        for file_id in _file_ids(data):
            rec = state.files.get(file_id)
            if rec is None or file_id in self._saved_files:
                continue
            sha = None
            if rec.data is not None:
                sha = _sha(rec.data)
                db.execute("INSERT OR IGNORE INTO blobs (sha, data) VALUES (?, ?)", (sha, rec.data))
            db.execute(
                "INSERT OR REPLACE INTO files (file_id, sha, data) VALUES (?, ?, ?)",
                (file_id, sha, _file_json(rec)),
            )
            self._saved_files.add(file_id)
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('files_issued', ?)",
            (str(state.files.issued),),
        )

    # --- reading --------------------------------------------------------------------------
    def load(self, state: SandboxState) -> None:
        """Put every stored user, persona, chat, message, event and file into `state`."""
        db = self.db
        for (data,) in db.execute("SELECT data FROM users ORDER BY id"):
            fields = json.loads(data)
            rec = state.user(fields.pop("id"))
            for name, value in fields.items():
                setattr(rec, name, value)
        for (data,) in db.execute("SELECT data FROM personas ORDER BY id"):
            persona = Persona(**json.loads(data))
            state.personas[persona.id] = persona
        self._load_files(state)
        for chat_id, data in db.execute("SELECT id, data FROM chats ORDER BY id"):
            chat = self._chat(state, chat_id, json.loads(data))
            self._load_messages(chat)
            chat.events = [
                (kind, message_id, json.loads(extra) if extra else None)
                for kind, message_id, extra in db.execute(
                    "SELECT kind, message_id, extra FROM events WHERE chat_id = ? ORDER BY seq",
                    (chat_id,),
                )
            ]
        next_update = self._meta("next_update_id")
        if next_update is not None:
            state.updates.next_id = max(state.updates.next_id, int(next_update))

    @staticmethod
    def _chat(state: SandboxState, chat_id: int, fields: JSON) -> ChatRec:
        chat = state.chats.get(chat_id)
        if chat is None:
            chat = state.group(chat_id, fields.get("title"), fields.get("username"))
        for name in ("next_message_id", "reply_keyboard", "keyboard_hidden", "force_reply"):
            setattr(chat, name, fields[name])
        chat.menu_button = fields.get("menu_button")
        chat.admins = frozenset(fields.get("admins", ()))
        chat.json_cache = None
        return chat

    def _load_messages(self, chat: ChatRec) -> None:
        rows = self.db.execute(
            "SELECT data FROM messages WHERE chat_id = ? ORDER BY message_id", (chat.id,)
        )
        for (data,) in rows:
            rec = MessageRec(**json.loads(data))
            chat.messages[rec.message_id] = rec
            if rec.from_bot:
                # What the harness counts: the bot's messages and their texts as they are now.
                chat.bot_message_ids.append(rec.message_id)
                chat.delivered += 1
                text = rec.data.get("text") or rec.data.get("caption")
                if text:
                    chat.texts.append(text)

    def _load_files(self, state: SandboxState) -> None:
        rows = self.db.execute(
            "SELECT f.file_id, f.data, b.data FROM files f LEFT JOIN blobs b ON b.sha = f.sha"
        )
        for file_id, data, blob in rows:
            rec = FileRec(**json.loads(data), data=blob)
            state.files.by_id[file_id] = rec
            state.files.by_path[rec.file_path] = rec
            self._saved_files.add(file_id)
        issued = self._meta("files_issued")
        state.files.restore_issued(int(issued) if issued else 0)
        # A photo sent again by file_id shows every size, as the first time.
        for (data,) in self.db.execute("SELECT data FROM messages"):
            sizes = json.loads(data)["data"].get("photo")
            for size in sizes or ():
                state.files.photo_sets[size["file_id"]] = sizes


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _user_json(user: UserRec) -> str:
    fields = ("id", "first_name", "last_name", "username", "language_code", "phone", "role")
    data: JSON = {name: getattr(user, name) for name in fields}
    data.update(blocked=user.blocked, started=user.started, channel=user.channel)
    return json.dumps(data, ensure_ascii=False)


def _persona_dict(persona: Persona) -> JSON:
    fields = ("id", "first_name", "last_name", "username", "language_code", "role", "phone")
    return {name: getattr(persona, name) for name in fields} | {"channel": persona.channel}


def _chat_json(chat: ChatRec) -> str:
    data: JSON = {
        "type": chat.type,
        "title": chat.title,
        "username": chat.username,
        "next_message_id": chat.next_message_id,
        "reply_keyboard": chat.reply_keyboard,
        "keyboard_hidden": chat.keyboard_hidden,
        "force_reply": chat.force_reply,
        "menu_button": chat.menu_button,
        "admins": sorted(chat.admins),
    }
    return json.dumps(data, ensure_ascii=False)


def _message_json(rec: MessageRec) -> str:
    fields = ("chat_id", "message_id", "from_bot", "data", "kind", "parse_mode", "keyboard")
    data: JSON = {name: getattr(rec, name) for name in fields}
    data.update(edit_count=rec.edit_count, deleted=rec.deleted)
    return json.dumps(data, ensure_ascii=False)


def _file_json(rec: FileRec) -> str:
    fields = (
        "file_id", "file_unique_id", "kind", "file_path", "mime_type", "file_name", "url",
        "width", "height",
    )  # fmt: skip
    return json.dumps({name: getattr(rec, name) for name in fields}, ensure_ascii=False)


def _file_ids(data: JSON) -> list[str]:
    ids = [size["file_id"] for size in data.get("photo") or ()]
    ids += [data[name]["file_id"] for name in _FILE_FIELDS if name in data]
    reply = data.get("reply_to_message")
    return ids + (_file_ids(reply) if isinstance(reply, dict) else [])
