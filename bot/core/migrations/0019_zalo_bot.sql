-- The Zalo Bot channel (handlers/zalo_bot): Zalo's ids are strings, the
-- python-telegram-bot application behind the gateway needs numbers.

-- Each Zalo user or chat id and the number the application knows it by,
-- both ways and for good: the number is the citizen's external id on the
-- zalo_bot channel, so it must never change or be given to anyone else.
CREATE TABLE zalo_bot_ids (
    local_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    zalo_id   TEXT    NOT NULL UNIQUE,
    created_at TEXT   NOT NULL
);

-- Messages already taken in (Zalo's message id): a webhook delivered twice,
-- or a poll answered again after a restart, is handled once.
CREATE TABLE zalo_bot_seen (
    message_id TEXT PRIMARY KEY,
    seen_at    TEXT NOT NULL
);
CREATE INDEX zalo_bot_seen_by_time ON zalo_bot_seen (seen_at);
