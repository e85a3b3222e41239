-- The FAQ: entries (from content/faq, CSV imports and officers' published
-- answers), their folded text in an FTS5 index, which answers were published,
-- and every question citizens asked with the feedback they gave. Questions
-- sent on to officers are the desk's (in the bot: question cases).

CREATE TABLE faq_entries (
    id            INTEGER PRIMARY KEY,
    question      TEXT    NOT NULL,
    -- the folded question: an import updates the entry that asks the same thing
    question_key  TEXT    NOT NULL,
    answer        TEXT    NOT NULL,
    alternatives  TEXT    NOT NULL DEFAULT '',  -- other phrasings, one a line
    keywords      TEXT    NOT NULL DEFAULT '',  -- comma-separated
    topic         TEXT    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',  -- the rule the answer rests on
    reviewed      INTEGER NOT NULL DEFAULT 0,   -- an officer checked it
    slug          TEXT    UNIQUE,               -- the id in content/faq, if shipped there
    origin        TEXT    NOT NULL CHECK (origin IN ('content', 'import', 'published')),
    -- hash of the content-file version last synced: a changed file wins over
    -- an officer's import, an unchanged one does not overwrite it
    content_hash  TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE UNIQUE INDEX faq_entries_key ON faq_entries (question_key) WHERE active = 1;

-- Folded text only (lower-case ASCII words), rowid = faq_entries.id.
CREATE VIRTUAL TABLE faq_index USING fts5 (
    question, alternatives, keywords, answer,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- Officers' answers published as entries, by where each came from (opaque to
-- the FAQ, e.g. the answer event of a question case): one button pressed twice
-- publishes once.
CREATE TABLE faq_publications (
    ref           TEXT    PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES faq_entries (id),
    published_at  TEXT    NOT NULL
);

CREATE TABLE faq_queries (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    channel      TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    folded       TEXT    NOT NULL,  -- groups the same question typed differently
    outcome      TEXT    NOT NULL CHECK (outcome IN ('confident', 'middling', 'none')),
    confidence   REAL    NOT NULL,
    entry_id     INTEGER REFERENCES faq_entries (id),  -- the answer shown, if any
    feedback     TEXT    CHECK (feedback IN ('helpful', 'not_helpful')),
    feedback_at  TEXT,
    sent_code    TEXT     -- the desk's tracking code when sent on to officers
);

CREATE INDEX faq_queries_at ON faq_queries (at);
