-- Consultations with several questions, and comments officers moderate.
--
-- A consultation's questions are one JSON list on its row (read with it in
-- one query, fixed once it opens): [{"type", "text", "options"}], the type
-- single | multiple | yesno | comment. A consultation made before this keeps
-- its one question and options as question 0, a single choice.
--
-- One answer per voter PER QUESTION is now the unique key; the option of a
-- multiple-choice answer is the bit set of the options chosen. The answer's
-- rowid names a comment to the officers without naming its author.

ALTER TABLE consultations ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';
-- Whether comments, once moderated, are shown with the result and in /news.
ALTER TABLE consultations ADD COLUMN public_comments INTEGER NOT NULL DEFAULT 0;

UPDATE consultations
SET questions = json_array(json_object('type', 'single', 'text', question, 'options', json(options)))
WHERE question != '' OR options != '[]';

CREATE TABLE consultation_answers_q (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id),
    question         INTEGER NOT NULL DEFAULT 0,
    voter            TEXT    NOT NULL,
    citizen_id       INTEGER REFERENCES citizens (id) ON DELETE SET NULL,
    village_id       TEXT,
    option           INTEGER NOT NULL,
    comment          TEXT,
    anonymised       INTEGER NOT NULL DEFAULT 0,
    answered_at      TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    signed           INTEGER NOT NULL DEFAULT 0,     -- the citizen chose to sign the comment
    moderation       TEXT    NOT NULL DEFAULT 'new'
                     CHECK (moderation IN ('new', 'answered', 'hidden', 'case')),
    response         TEXT,                           -- the officers' public answer
    case_id          INTEGER REFERENCES cases (id),
    moderated_by     INTEGER REFERENCES officers (id),
    moderated_at     TEXT,
    UNIQUE (consultation_id, question, voter)
);

INSERT INTO consultation_answers_q (consultation_id, question, voter, citizen_id, village_id,
    option, comment, anonymised, answered_at, updated_at)
SELECT consultation_id, 0, voter, citizen_id, village_id, option, comment, anonymised,
    answered_at, updated_at
FROM consultation_answers;

DROP TABLE consultation_answers;
ALTER TABLE consultation_answers_q RENAME TO consultation_answers;
CREATE INDEX consultation_answers_citizen ON consultation_answers (citizen_id);
CREATE INDEX consultation_answers_voter ON consultation_answers (consultation_id, voter);

ALTER TABLE consultation_events ADD COLUMN question INTEGER NOT NULL DEFAULT 0;
DROP INDEX consultation_events_voter;
CREATE INDEX consultation_events_voter ON consultation_events (consultation_id, question, voter, id);

DROP TRIGGER consultation_events_only_unlinked;
CREATE TRIGGER consultation_events_only_unlinked BEFORE UPDATE ON consultation_events
WHEN NEW.citizen_id IS NOT NULL OR NEW.event IS NOT OLD.event OR NEW.at IS NOT OLD.at
  OR NEW.from_option IS NOT OLD.from_option OR NEW.to_option IS NOT OLD.to_option
  OR NEW.consultation_id IS NOT OLD.consultation_id OR NEW.village_id IS NOT OLD.village_id
  OR NEW.question IS NOT OLD.question
BEGIN SELECT RAISE (ABORT, 'consultation_events is append-only'); END;

-- Paper totals per question (single-choice and yes/no questions).
CREATE TABLE consultation_paper_q (
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id),
    question         INTEGER NOT NULL DEFAULT 0,
    village_id       TEXT    NOT NULL,
    option           INTEGER NOT NULL,
    count            INTEGER NOT NULL CHECK (count >= 0),
    note             TEXT    NOT NULL DEFAULT '',
    officer_id       INTEGER REFERENCES officers (id),
    at               TEXT    NOT NULL,
    PRIMARY KEY (consultation_id, question, village_id, option)
) WITHOUT ROWID;

INSERT INTO consultation_paper_q (consultation_id, question, village_id, option, count, note,
    officer_id, at)
SELECT consultation_id, 0, village_id, option, count, note, officer_id, at FROM consultation_paper;

DROP TABLE consultation_paper;
ALTER TABLE consultation_paper_q RENAME TO consultation_paper;
