-- The Zalo Official Account channel: its OAuth token pair, the webhook
-- events already taken in, and the buttons last shown to each follower.

-- One row: the OA's current token pair. Zalo's refresh token is single-use
-- and replaced at every refresh, so the new pair is written here (one
-- transaction) before it is used. `spending` holds the refresh token being
-- sent to Zalo right now: set before the call, cleared with the new pair.
-- Found set at start-up, the process died between the call and the store:
-- that token is never sent again, and the OA must be re-authorised.
CREATE TABLE zalo_oa_tokens (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    access_token    TEXT,
    refresh_token   TEXT NOT NULL,
    expires_at      REAL NOT NULL,   -- Unix time the access token stops working
    spending        TEXT,            -- the refresh token whose exchange is under way
    spending_since  REAL,
    problem         TEXT,            -- why the OA must be re-authorised, when it must
    updated_at      REAL NOT NULL
);

-- Zalo retries a webhook call it thinks failed: each event is taken in once,
-- by its msg_id (or, for events without one, its kind, user and timestamp).
CREATE TABLE zalo_oa_events (
    key          TEXT PRIMARY KEY,
    event_name   TEXT NOT NULL,
    received_at  REAL NOT NULL       -- Unix time; the webhook's health in `zalo status`
);
CREATE INDEX zalo_oa_events_received ON zalo_oa_events (received_at);

-- The buttons of the last few messages with buttons sent to a follower. An
-- OA button sends its payload back as text: "<number>#<message_id>", read as
-- a press of that very button, however old its message; a number typed by
-- hand ("2") presses a button of the latest message.
CREATE TABLE zalo_oa_choices (
    user_id     TEXT NOT NULL,
    message_id  INTEGER NOT NULL,    -- the message the buttons were shown under
    number      INTEGER NOT NULL,
    data        TEXT NOT NULL,       -- the button's callback data
    PRIMARY KEY (user_id, message_id, number)
);
