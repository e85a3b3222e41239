-- Broadcasts a channel also publishes on its own public feed (a Zalo OA's
-- articles, sent to all its followers): one row per broadcast and channel,
-- claimed before the first call, so a restart never publishes a post twice.
CREATE TABLE publications (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),
    channel      TEXT    NOT NULL,
    state        TEXT    NOT NULL,  -- publishing | published | quota | failed | skipped
    detail       TEXT    NOT NULL DEFAULT '',  -- what went wrong, for the officer
    ref          TEXT,              -- the channel's id of what it published
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (broadcast_id, channel)
);
CREATE INDEX publications_by_month ON publications (channel, state, created_at);

-- Since when each channel publishes: broadcasts sent before its feed was
-- turned on are not published afterwards.
CREATE TABLE publication_feeds (
    channel TEXT PRIMARY KEY,
    since   TEXT NOT NULL
);
