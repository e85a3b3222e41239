-- Numbered choices on channels without buttons (Zalo): the latest list the
-- bot showed each chat, so "2" is answered as the second button would have
-- been, also after a restart. One row per chat: a newer list replaces it; the
-- bot's next reply without one closes it (`open` = 0), and the row is kept so a
-- late number gets "that list is no longer open" rather than an FAQ search.
-- `actions` is a JSON list of the buttons' packed actions, in their numbers'
-- order; no text of the message is kept (it may hold a name or a phone).
CREATE TABLE choices (
    channel      TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    actions      TEXT NOT NULL,
    open         INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (channel, external_id)
);
