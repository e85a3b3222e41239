-- The outbox sender's waiting: rows not to be sent before a moment, officers
-- and groups whose chat refuses for now, and channels paused while down.

-- A pending row is not claimed before `not_before` (Unix time, real seconds
-- like the lease's heartbeat): a chat that is not free yet, or an officer
-- or group retried on a schedule after `refusals` refusals, the first at
-- `refused_at`.
ALTER TABLE outbox ADD COLUMN not_before REAL;
ALTER TABLE outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN refused_at REAL;

-- Who cannot be reached, and whose waiting rows to wake when they write.
CREATE INDEX outbox_refused ON outbox (channel, external_id, id) WHERE refusals > 0;

-- A channel that answered "bad token" (401) or "no such API" (404): the
-- sender holds its rows and tries it again every so often.
CREATE TABLE delivery_pauses (
    channel     TEXT PRIMARY KEY,
    since       REAL NOT NULL,   -- Unix time of the first refusal
    reason      TEXT NOT NULL,
    checked_at  REAL NOT NULL    -- Unix time of the last try
);
