-- Cases citizens raise, their files, their append-only event log, and the
-- drafts of conversations in progress (so a restart loses no typing).

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT    NOT NULL UNIQUE,
    kind                  TEXT    NOT NULL
        CHECK (kind IN ('question', 'feedback', 'petition', 'complaint', 'denunciation')),
    topic                 TEXT    NOT NULL,
    village_id            TEXT,
    description           TEXT    NOT NULL,
    -- Hash of the normalised text: warns of a repeated message without
    -- comparing every description.
    text_hash             TEXT    NOT NULL,
    status                TEXT    NOT NULL
        CHECK (status IN ('new', 'accepted', 'waiting_info', 'answered', 'resolved',
                          'rejected', 'transferred')),
    -- Where answers go; NULL once a citizen erased their data from a closed case.
    reporter_channel      TEXT,
    reporter_external_id  TEXT,
    -- What the citizen chose to share, with consent; NULL when anonymous or erased.
    contact_name          TEXT,
    contact_phone         TEXT,
    consent_at            TEXT,
    anonymous             INTEGER NOT NULL DEFAULT 0,
    latitude              REAL,
    longitude             REAL,
    office                TEXT    NOT NULL,
    assignee_id           INTEGER REFERENCES officers (id),
    language              TEXT    NOT NULL DEFAULT 'vi',
    received_at           TEXT    NOT NULL,
    accepted_at           TEXT,
    closed_at             TEXT,
    due_on                TEXT    NOT NULL,
    rating                INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment        TEXT    NOT NULL DEFAULT '',
    updated_at            TEXT    NOT NULL
);

CREATE INDEX cases_reporter ON cases (reporter_channel, reporter_external_id, received_at);
CREATE INDEX cases_open_due ON cases (due_on)
    WHERE status NOT IN ('resolved', 'rejected', 'transferred');

-- Append-only: the audit trail, the citizen's timeline, the source of reports.
CREATE TABLE case_events (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES cases (id),
    at                TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    actor_officer_id  INTEGER REFERENCES officers (id),
    text              TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE (ABORT, 'case_events is append-only'); END;

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE (ABORT, 'case_events is append-only'); END;

-- Files are kept as the channel's file ids: the bytes stay with the channel.
CREATE TABLE case_files (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    event_id  INTEGER NOT NULL REFERENCES case_events (id),
    kind      TEXT    NOT NULL CHECK (kind IN ('photo', 'document', 'voice')),
    ref       TEXT    NOT NULL,
    filename  TEXT
);

CREATE INDEX case_files_event ON case_files (event_id);

-- One conversation in progress per person: the /feedback form, or a text an
-- officer or citizen is about to type for a case.
CREATE TABLE case_drafts (
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    flow         TEXT NOT NULL,
    data         TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
) WITHOUT ROWID;
