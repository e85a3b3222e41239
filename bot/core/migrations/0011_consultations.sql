-- Consultations (dân bàn): polls, opinions on a commune draft, and household
-- decisions. Integrity lives in the schema: one answer per voter is the
-- primary key (a voter is a citizen, or a household for household decisions),
-- and every change of an answer is an event row, so the tally can always be
-- recomputed from the events and checked against the live answers.

-- A citizen who represents their household (đại diện hộ gia đình): declared
-- once in /settings; one household per representative.
CREATE TABLE households (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL UNIQUE REFERENCES citizens (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    address     TEXT    NOT NULL DEFAULT '',
    village_id  TEXT,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL DEFAULT 'poll' CHECK (kind IN ('poll', 'opinion', 'household')),
    state            TEXT    NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'open', 'closed', 'cancelled')),
    title            TEXT    NOT NULL DEFAULT '',
    summary          TEXT    NOT NULL DEFAULT '',
    question         TEXT    NOT NULL DEFAULT '',
    options          TEXT    NOT NULL DEFAULT '[]',   -- JSON list of labels
    document         TEXT,                            -- Attachment JSON
    audience         TEXT    NOT NULL DEFAULT 'all',  -- all | village:a,b | topic:x,y
    opens_at         TEXT,                            -- UTC; NULL: when confirmed
    closes_at        TEXT,                            -- UTC
    eligible         INTEGER NOT NULL DEFAULT 0,      -- audience (or households) at opening
    author_channel   TEXT    NOT NULL,
    author_id        TEXT    NOT NULL,
    officer_id       INTEGER REFERENCES officers (id),
    broadcast_id     INTEGER REFERENCES broadcasts (id),  -- the invitation
    created_at       TEXT    NOT NULL,
    closed_at        TEXT,
    reminded_at      TEXT,
    reported_at      TEXT                             -- the closing summary was sent
);

CREATE INDEX consultations_open ON consultations (closes_at) WHERE state = 'open';

-- The live answers: one row per voter ('c:<citizen id>' or 'h:<household id>';
-- 'a:<n>' once the citizen erased their data). citizen_id is who answered
-- last, for /mydata and the reminders; officers only ever read aggregates.
CREATE TABLE consultation_answers (
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id),
    voter            TEXT    NOT NULL,
    citizen_id       INTEGER REFERENCES citizens (id) ON DELETE SET NULL,
    village_id       TEXT,
    option           INTEGER NOT NULL,
    comment          TEXT,
    anonymised       INTEGER NOT NULL DEFAULT 0,
    answered_at      TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (consultation_id, voter)
) WITHOUT ROWID;

CREATE INDEX consultation_answers_citizen ON consultation_answers (citizen_id);

-- Append-only: every answer, change, comment, withdrawal and erasure.
-- The live tally equals, per voter, the to_option of their last event.
CREATE TABLE consultation_events (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id),
    voter            TEXT    NOT NULL,
    citizen_id       INTEGER REFERENCES citizens (id) ON DELETE SET NULL,
    village_id       TEXT,
    at               TEXT    NOT NULL,
    event            TEXT    NOT NULL CHECK (event IN ('answer', 'comment', 'withdraw', 'anonymise')),
    from_option      INTEGER,
    to_option        INTEGER
);

CREATE INDEX consultation_events_voter ON consultation_events (consultation_id, voter, id);

CREATE TRIGGER consultation_events_no_delete BEFORE DELETE ON consultation_events
BEGIN SELECT RAISE (ABORT, 'consultation_events is append-only'); END;

-- The one change allowed: unlinking an event from a citizen who erased their data.
CREATE TRIGGER consultation_events_only_unlinked BEFORE UPDATE ON consultation_events
WHEN NEW.citizen_id IS NOT NULL OR NEW.event IS NOT OLD.event OR NEW.at IS NOT OLD.at
  OR NEW.from_option IS NOT OLD.from_option OR NEW.to_option IS NOT OLD.to_option
  OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.village_id IS NOT OLD.village_id
BEGIN SELECT RAISE (ABORT, 'consultation_events is append-only'); END;

-- Paper ballots counted at the village meeting, entered by an officer as
-- totals per village and option; a new entry replaces the earlier one.
CREATE TABLE consultation_paper (
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id),
    village_id       TEXT    NOT NULL,
    option           INTEGER NOT NULL,
    count            INTEGER NOT NULL CHECK (count >= 0),
    note             TEXT    NOT NULL DEFAULT '',
    officer_id       INTEGER REFERENCES officers (id),
    at               TEXT    NOT NULL,
    PRIMARY KEY (consultation_id, village_id, option)
) WITHOUT ROWID;

-- Whether a citizen gets the reminder one day before a consultation closes.
CREATE TABLE consultation_prefs (
    citizen_id  INTEGER PRIMARY KEY REFERENCES citizens (id) ON DELETE CASCADE,
    reminders   INTEGER NOT NULL DEFAULT 1
);
