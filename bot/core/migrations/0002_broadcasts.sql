-- Outreach: the content library, broadcasts, and the outbox through which
-- every message the bot sends on its own initiative goes.

-- One row per Markdown file of content/library, refreshed at every start.
CREATE TABLE library_items (
    id            TEXT    PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('model_story', 'good_deed', 'policy', 'reform', 'announcement')),
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL DEFAULT '',
    body          TEXT    NOT NULL,
    topics        TEXT    NOT NULL DEFAULT '',   -- topic ids separated by spaces
    image         TEXT,                           -- file name beside the item
    published_on  TEXT    NOT NULL,               -- YYYY-MM-DD, the commune's date
    sample        INTEGER NOT NULL DEFAULT 0,
    source        TEXT    NOT NULL,               -- the file it came from
    checksum      TEXT    NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,     -- 0 once its file is gone
    updated_at    TEXT    NOT NULL
);

CREATE INDEX library_items_latest ON library_items (published_on DESC, id) WHERE active = 1;

-- An item with no row here is for every village.
CREATE TABLE library_item_villages (
    item_id     TEXT NOT NULL REFERENCES library_items (id) ON DELETE CASCADE,
    village_id  TEXT NOT NULL,
    PRIMARY KEY (item_id, village_id)
) WITHOUT ROWID;

-- A post to many citizens: composed as a draft, then scheduled, sent, done.
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    state             TEXT    NOT NULL DEFAULT 'draft'
                      CHECK (state IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
    author_channel    TEXT    NOT NULL,
    author_id         TEXT    NOT NULL,
    officer_id        INTEGER REFERENCES officers (id),
    item_id           TEXT    REFERENCES library_items (id),
    message           TEXT,                          -- OutgoingMessage JSON, as citizens get it
    topic_id          TEXT,
    audience          TEXT    NOT NULL DEFAULT 'all', -- all | village:a,b | topic:x,y
    send_at           TEXT,                          -- UTC; NULL means at once
    total             INTEGER NOT NULL DEFAULT 0,    -- recipients queued
    progress_chat     TEXT,                          -- where the officer watches it go
    progress_message  TEXT,
    created_at        TEXT    NOT NULL,
    queued_at         TEXT,
    finished_at       TEXT
);

CREATE INDEX broadcasts_due ON broadcasts (send_at) WHERE state = 'scheduled';
CREATE INDEX broadcasts_drafts ON broadcasts (author_channel, author_id) WHERE state = 'draft';

-- Every message sent on the bot's own initiative, written before it goes out.
-- A broadcast's rows share broadcasts.message; a single notification keeps
-- its own. The unique key means nobody is queued twice for one broadcast.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    broadcast_id        INTEGER REFERENCES broadcasts (id),
    channel             TEXT    NOT NULL,
    external_id         TEXT    NOT NULL,
    message             TEXT,
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    error               TEXT,
    channel_message_id  TEXT,
    created_at          TEXT    NOT NULL,
    done_at             TEXT,
    UNIQUE (broadcast_id, channel, external_id)
);

CREATE INDEX outbox_pending ON outbox (id) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (id) WHERE state = 'sending';
CREATE INDEX outbox_by_broadcast ON outbox (broadcast_id, state);

-- Which process drains the outbox: one at a time, so rate limits hold and
-- no row is sent by two senders.
CREATE TABLE delivery_lease (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    owner      TEXT    NOT NULL,
    heartbeat  REAL    NOT NULL   -- Unix time of the owner's last sign of life
);
