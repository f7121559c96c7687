-- A batch's mini programs are started by the release dispatcher as slots free up, each as its own wechat-mp-release
-- (no chunk processes); the batch waits until all of them ended (docs/decisions/004).
--   releasing_since: when the batch began releasing (after the audit-quota check); the dispatcher starts nothing before.
--   unfinished: mini programs whose release has not ended yet, queued ones included; a release's end counts it down
--     in its own transaction, and the dispatcher wakes the batch once it reaches 0.
ALTER TABLE mf_release_batch ADD COLUMN releasing_since TIMESTAMP(3);
ALTER TABLE mf_release_batch ADD COLUMN unfinished INT DEFAULT 0 NOT NULL;

-- Items no longer wait on an execution of their own: a mini program without a slot stays QUEUED.
UPDATE mf_release_item SET stage = 'QUEUED' WHERE stage = 'WAITING';
ALTER TABLE mf_release_item DROP COLUMN waiting_execution;

-- Releases waiting for WeChat's audit result: the push normally ends the wait (the row is deleted then); the audit
-- poller asks the platform only for rows that are due, further apart each time (miniflow.release.audit-poll-*).
CREATE TABLE mf_audit_wait (
    process_instance_id VARCHAR(64)  PRIMARY KEY,
    app_id              VARCHAR(64)  NOT NULL,
    submitted_at        TIMESTAMP(3) NOT NULL,
    next_poll_at        TIMESTAMP(3) NOT NULL,
    polls               INT          DEFAULT 0 NOT NULL
);

CREATE INDEX ix_audit_wait_due ON mf_audit_wait (next_poll_at);

-- A decided audit pushed while nobody waited for it (the release's submit step had not committed yet) or whose hand-over
-- failed: the audit poller polls that mini program's waiting release at its next round instead of hours later.
CREATE TABLE mf_audit_push (
    app_id      VARCHAR(64)  PRIMARY KEY,
    received_at TIMESTAMP(3) NOT NULL
);
