-- An officer's answer published to the FAQ may hold for one village only
-- ("the villagers' meeting of Đồng Tâm is on Friday"): such an entry is
-- offered only to citizens of that village. NULL: every village.
ALTER TABLE faq_entries ADD COLUMN village_id TEXT;
