-- Answers to feedback and petitions that an officer made public (công khai),
-- anonymised. A row is made when an officer asks for the preview; it is
-- public only once confirmed ('published'), and hidden again when withdrawn.
-- It holds no identity: the summary is the citizen's text with personal
-- details masked (or the officer's own words), checked in the preview.

CREATE TABLE public_answers (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    -- One publication per answer: a button pressed twice publishes once.
    answer_event_id  INTEGER NOT NULL UNIQUE REFERENCES case_events (id),
    -- Complaints and denunciations are never made public, whatever the code does.
    kind             TEXT    NOT NULL CHECK (kind IN ('feedback', 'petition')),
    topic            TEXT    NOT NULL,
    village_id       TEXT,
    month            TEXT    NOT NULL,  -- YYYY-MM of the answer, in commune time
    summary          TEXT    NOT NULL,
    answer           TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('preview', 'published', 'withdrawn')),
    -- Counts every new preview: a button of an older preview publishes nothing.
    revision         INTEGER NOT NULL DEFAULT 1,
    prepared_by      INTEGER NOT NULL REFERENCES officers (id),
    prepared_at      TEXT    NOT NULL,
    published_by     INTEGER REFERENCES officers (id),
    published_at     TEXT,
    withdrawn_by     INTEGER REFERENCES officers (id),
    withdrawn_at     TEXT
);

CREATE INDEX public_answers_browse ON public_answers (topic, published_at)
    WHERE status = 'published';
