-- Dialogues (đối thoại) and voter meetings (tiếp xúc cử tri): an event is
-- announced, citizens send questions until its closing time, others add a
-- "me too", officers group, mark and answer them, and the officer's "finish"
-- turns what is left unanswered into cases.

CREATE TABLE dialogues (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL DEFAULT 'dialogue'
                        CHECK (kind IN ('dialogue', 'voter_meeting')),
    state               TEXT    NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'open', 'finished', 'cancelled')),
    title               TEXT    NOT NULL DEFAULT '',
    starts_at           TEXT,                            -- UTC
    place               TEXT    NOT NULL DEFAULT '',
    attendees           TEXT    NOT NULL DEFAULT '',     -- the chairman, the deputies: free text
    audience            TEXT    NOT NULL DEFAULT 'all',  -- all | village:a,b | topic:x,y
    questions_close_at  TEXT,                            -- UTC; no question is taken from then
    author_channel      TEXT    NOT NULL,
    author_id           TEXT    NOT NULL,
    officer_id          INTEGER REFERENCES officers (id),
    broadcast_id        INTEGER REFERENCES broadcasts (id),  -- the announcement
    news_id             INTEGER REFERENCES broadcasts (id),  -- the answers filed in /news
    created_at          TEXT    NOT NULL,
    announced_at        TEXT,
    closed_told_at      TEXT,                            -- the author was sent the questions
    finished_at         TEXT
);

-- A question, numbered within its event. `group_lead` names the question a
-- group is answered under (NULL: on its own); the answer is stored on every
-- member, so each asker's row says what they were told.
CREATE TABLE dialogue_questions (
    id           INTEGER PRIMARY KEY,
    dialogue_id  INTEGER NOT NULL REFERENCES dialogues (id),
    number       INTEGER NOT NULL,
    citizen_id   INTEGER REFERENCES citizens (id) ON DELETE SET NULL,
    text         TEXT    NOT NULL DEFAULT '',
    voice        TEXT,                                -- file:<sha256> of a voice note
    topic        TEXT    NOT NULL DEFAULT 'other',    -- a case topic
    anonymous    INTEGER NOT NULL DEFAULT 0,          -- officers never see who asked
    public       INTEGER NOT NULL DEFAULT 0,          -- others may read it and say "me too"
    group_lead   INTEGER REFERENCES dialogue_questions (id),
    at_meeting   INTEGER NOT NULL DEFAULT 0,          -- to be answered at the meeting
    answer       TEXT,
    answered_at  TEXT,
    case_id      INTEGER REFERENCES cases (id),       -- left unanswered at the finish
    asked_at     TEXT    NOT NULL,
    UNIQUE (dialogue_id, number)
);

CREATE INDEX dialogue_questions_citizen ON dialogue_questions (citizen_id);

-- "Me too" (Tôi cũng hỏi): one per citizen per question, by the key.
CREATE TABLE dialogue_support (
    question_id  INTEGER NOT NULL REFERENCES dialogue_questions (id),
    citizen_id   INTEGER NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    at           TEXT    NOT NULL,
    PRIMARY KEY (question_id, citizen_id)
) WITHOUT ROWID;
