-- Citizen reception bookings (tiếp công dân). Capacity lives in the schema:
-- a booking holds a seat of its slot, and a seat is held by one live booking
-- at most (the unique index below); the service takes a seat with one
-- conditional INSERT, so two citizens can never be given the same one.

-- Days the chairman or the office changed in chat: an extra reception day,
-- or a regular one cancelled. The regular days come from the duty calendar.
CREATE TABLE reception_days (
    day         TEXT    PRIMARY KEY,               -- YYYY-MM-DD, the commune's date
    status      TEXT    NOT NULL CHECK (status IN ('extra', 'cancelled')),
    officer_id  INTEGER REFERENCES officers (id),
    created_at  TEXT    NOT NULL
);

CREATE TABLE reception_bookings (
    id               INTEGER PRIMARY KEY,
    day              TEXT    NOT NULL,             -- YYYY-MM-DD, the commune's date
    slot             INTEGER,                      -- index of the slot; NULL: waiting, walk-in
    seat             INTEGER,                      -- 1..per_slot within the slot
    state            TEXT    NOT NULL
                     CHECK (state IN ('waiting', 'booked', 'received', 'no_show',
                                      'moved', 'cancelled')),
    walk_in          INTEGER NOT NULL DEFAULT 0,
    channel          TEXT,                         -- the citizen's chat; NULL for a walk-in
    external_id      TEXT,
    language         TEXT    NOT NULL DEFAULT 'vi',
    name             TEXT,                         -- given with consent; erased on request
    phone            TEXT,
    address          TEXT    NOT NULL DEFAULT '',
    subject          TEXT    NOT NULL,
    case_id          INTEGER REFERENCES cases (id),
    outcome          TEXT    NOT NULL DEFAULT '',
    outcome_case_id  INTEGER REFERENCES cases (id),
    reminded_day     INTEGER NOT NULL DEFAULT 0,   -- the day-before reminder is queued
    reminded_hour    INTEGER NOT NULL DEFAULT 0,   -- the hour-before reminder is queued
    moved_to         INTEGER REFERENCES reception_bookings (id),
    officer_id       INTEGER REFERENCES officers (id),  -- who marked it or added the walk-in
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    CHECK ((state = 'waiting') = (slot IS NULL AND walk_in = 0)),
    CHECK ((slot IS NULL) = (seat IS NULL))
);

-- One live booking per seat: a cancelled or moved booking frees its seat.
CREATE UNIQUE INDEX reception_seats ON reception_bookings (day, slot, seat)
    WHERE state IN ('booked', 'received', 'no_show');
CREATE INDEX reception_by_day ON reception_bookings (day, state);
CREATE INDEX reception_by_citizen ON reception_bookings (channel, external_id, state);
