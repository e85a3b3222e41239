-- A channel's messaging window (Zalo OA: free for 48 hours after the
-- citizen's last interaction, charged up to 7 days, refused after): when each
-- person last wrote or pressed a button, and an outbox state for the rows
-- the window held back (bot/messaging/window.py).

-- One row per person of a channel with a window, written on each update.
CREATE TABLE last_heard (
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    at           REAL NOT NULL,   -- Unix time (the bot's clock) of their last message or press
    PRIMARY KEY (channel, external_id)
) WITHOUT ROWID;

-- `outside`: the recipient had not written within the channel's window. A
-- broadcast's row stays so (counted, never retried); a notification's row is
-- queued again when the person next writes. SQLite cannot change a CHECK
-- constraint in place: the table is copied, ids and all. A later migration
-- that adds a column to outbox must come after this one.
CREATE TABLE outbox_new (
    id                  INTEGER PRIMARY KEY,
    broadcast_id        INTEGER REFERENCES broadcasts (id),
    channel             TEXT    NOT NULL,
    external_id         TEXT    NOT NULL,
    message             TEXT,
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked', 'outside')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    error               TEXT,
    channel_message_id  TEXT,
    created_at          TEXT    NOT NULL,
    done_at             TEXT,
    not_before          REAL,
    refusals            INTEGER NOT NULL DEFAULT 0,
    refused_at          REAL,
    UNIQUE (broadcast_id, channel, external_id)
);

INSERT INTO outbox_new (id, broadcast_id, channel, external_id, message, state, attempts, error,
                        channel_message_id, created_at, done_at, not_before, refusals, refused_at)
SELECT id, broadcast_id, channel, external_id, message, state, attempts, error,
       channel_message_id, created_at, done_at, not_before, refusals, refused_at
FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (id) WHERE state = 'sending';
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, state);
CREATE INDEX outbox_refused ON outbox (channel, external_id, id) WHERE refusals > 0;
-- The notifications waiting for their person to write again (Outbox.wake).
CREATE INDEX outbox_outside ON outbox (channel, external_id, id)
    WHERE state = 'outside' AND broadcast_id IS NULL;
