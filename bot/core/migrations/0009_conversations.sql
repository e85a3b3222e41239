-- The case drafts table becomes the store of every conversation in progress
-- (the /feedback form, case replies, /post's awaited input, a duty's awaited
-- report file): the same rows and columns, a name that says what it holds.

ALTER TABLE case_drafts RENAME TO conversations;
