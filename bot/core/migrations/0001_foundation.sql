-- Citizens, officers and the audit log. A person is identified by the
-- channel they talk on and that channel's id for them (Telegram's numeric user
-- id, Zalo's string id), so the same tables serve every channel.

CREATE TABLE citizens (
    id            INTEGER PRIMARY KEY,
    channel       TEXT    NOT NULL,
    external_id   TEXT    NOT NULL,
    display_name  TEXT    NOT NULL DEFAULT '',
    language      TEXT    NOT NULL DEFAULT 'vi',
    village_id    TEXT,
    subscribed    INTEGER NOT NULL DEFAULT 1,
    blocked       INTEGER NOT NULL DEFAULT 0,
    onboarded     INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (channel, external_id)
);

CREATE INDEX citizens_village ON citizens (village_id) WHERE subscribed = 1 AND blocked = 0;

CREATE TABLE citizen_topics (
    citizen_id  INTEGER NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    topic_id    TEXT    NOT NULL,
    PRIMARY KEY (citizen_id, topic_id)
) WITHOUT ROWID;

CREATE INDEX citizen_topics_topic ON citizen_topics (topic_id);

CREATE TABLE officers (
    id           INTEGER PRIMARY KEY,
    channel      TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    language     TEXT    NOT NULL DEFAULT 'vi',
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (channel, external_id)
);

CREATE TABLE officer_roles (
    officer_id  INTEGER NOT NULL REFERENCES officers (id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('chairman', 'office', 'culture', 'justice', 'finance')),
    PRIMARY KEY (officer_id, role)
) WITHOUT ROWID;

-- Append-only: who did what, when, and whether it was allowed.
CREATE TABLE audit_log (
    id                 INTEGER PRIMARY KEY,
    at                 TEXT    NOT NULL,
    actor_channel      TEXT    NOT NULL,
    actor_external_id  TEXT    NOT NULL,
    officer_id         INTEGER REFERENCES officers (id),
    action             TEXT    NOT NULL,
    target             TEXT    NOT NULL DEFAULT '',
    detail             TEXT    NOT NULL DEFAULT '',
    outcome            TEXT    NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed'))
);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;
