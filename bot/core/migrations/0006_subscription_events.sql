-- The history of each citizen's subscription, so that reports can count who
-- subscribed, left or blocked the bot during any past period (the citizens
-- table only holds the state now). One row per change of "reachable":
-- subscribed and not blocked. Written by CitizenRepository in the same
-- transaction as the change itself.

CREATE TABLE subscription_events (
    id          INTEGER PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    event       TEXT    NOT NULL CHECK (event IN ('subscribed', 'unsubscribed', 'blocked'))
);

CREATE INDEX subscription_events_at ON subscription_events (at);
CREATE INDEX subscription_events_citizen ON subscription_events (citizen_id, at);

-- Citizens from before this history: they subscribed when they arrived, and
-- those not reachable now left at their last change, the best we know.
INSERT INTO subscription_events (citizen_id, at, event)
SELECT id, created_at, 'subscribed' FROM citizens ORDER BY id;

INSERT INTO subscription_events (citizen_id, at, event)
SELECT id, updated_at, CASE WHEN blocked = 1 THEN 'blocked' ELSE 'unsubscribed' END
FROM citizens WHERE subscribed = 0 OR blocked = 1 ORDER BY id;
