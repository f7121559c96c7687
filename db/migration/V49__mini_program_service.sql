-- Removal applications (issue #18, seed 004) act once approved.
-- A mini program's service as Miniflow last set it through the platform (change_visitstatus): OPEN or SUSPENDED.
-- No row means it was never changed (open). pending_*: the suspension or restore waiting for its approval (one at a
-- time per mini program, taken with a conditional update). last_refusal: the platform's words when it refused the
-- approved change.
CREATE TABLE mf_mini_program_service (
    app_id              VARCHAR(64)  PRIMARY KEY,
    workspace           VARCHAR(64)  NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    pending_action      VARCHAR(16),
    pending_process_id  VARCHAR(64),
    changed_at          TIMESTAMP(3),
    changed_by          VARCHAR(64),
    approval_id         BIGINT,
    last_refusal        VARCHAR(500)
);

