-- The files the bot keeps (bot/messaging/files.py): the bytes live under the
-- data folder, named by their SHA-256; these tables describe them.

CREATE TABLE stored_files (
    sha256      TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    mime        TEXT    NOT NULL,
    filename    TEXT,
    created_at  TEXT    NOT NULL
) WITHOUT ROWID;

-- The id a channel gave a file when it last sent it (Telegram's file_id):
-- only a cache, to send it again without uploading.
CREATE TABLE file_cache (
    sha256       TEXT NOT NULL REFERENCES stored_files (sha256),
    channel      TEXT NOT NULL,
    channel_ref  TEXT NOT NULL,
    PRIMARY KEY (sha256, channel)
) WITHOUT ROWID;

-- Rows written before the store hold a Telegram file_id. The first time one
-- is used it is downloaded and stored; this says which file it became, so it
-- is downloaded once whatever happens to the cache.
CREATE TABLE legacy_files (
    channel      TEXT NOT NULL,
    channel_ref  TEXT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES stored_files (sha256),
    PRIMARY KEY (channel, channel_ref)
) WITHOUT ROWID;

-- A case's file now names a stored file ("file:<sha256>"); its size is kept
-- with it (0 for the legacy rows, whose size was never recorded).
ALTER TABLE case_files ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
