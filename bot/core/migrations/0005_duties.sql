-- Duties: each occurrence of a recurring duty ("period") and every reminder
-- sent for it, so a restart knows what was already said and to whom.

CREATE TABLE duty_periods (
    id              INTEGER PRIMARY KEY,
    duty_id         TEXT    NOT NULL,
    period_key      TEXT    NOT NULL,   -- nominal local moment, before the working-day shift
    due_at          TEXT    NOT NULL,   -- UTC, after the shift
    created_at      TEXT    NOT NULL,
    done_at         TEXT,
    done_by         INTEGER REFERENCES officers (id),
    done_file_kind  TEXT,               -- the report handed in, when one was attached
    done_file_ref   TEXT,
    done_file_name  TEXT,
    UNIQUE (duty_id, period_key)
);

CREATE INDEX duty_periods_open ON duty_periods (due_at) WHERE done_at IS NULL;

-- One row per officer and reminder slot (before:7d, overdue:2026-03-27,
-- escalation, snooze:...): 'skipped' rows are slots folded into a later
-- reminder after downtime, so each is decided exactly once.
CREATE TABLE duty_reminders (
    id          INTEGER PRIMARY KEY,
    period_id   INTEGER NOT NULL REFERENCES duty_periods (id),
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    slot        TEXT    NOT NULL,
    slot_at     TEXT    NOT NULL,
    decided_at  TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('sent', 'skipped', 'failed')),
    UNIQUE (period_id, officer_id, slot)
);

-- "Remind me tomorrow": no reminder of the period for that officer until then.
CREATE TABLE duty_snoozes (
    period_id   INTEGER NOT NULL REFERENCES duty_periods (id),
    officer_id  INTEGER NOT NULL REFERENCES officers (id),
    until       TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (period_id, officer_id)
) WITHOUT ROWID;

-- Runs of the daily case sweep and the weekly digest, so a restart runs a
-- missed one once and never twice.
CREATE TABLE duty_job_runs (
    job      TEXT NOT NULL,
    run_key  TEXT NOT NULL,
    ran_at   TEXT NOT NULL,
    PRIMARY KEY (job, run_key)
) WITHOUT ROWID;
