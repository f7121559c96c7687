-- Reviewer approvals (seed 004): one row per application, one per decision, policies and notifications.
-- The process review-approval writes them; the console and /api/approvals read them.

CREATE TABLE mf_approval (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace           VARCHAR(64)   NOT NULL,
    category            VARCHAR(16)   NOT NULL,
    title               VARCHAR(200)  NOT NULL,
    object_name         VARCHAR(128)  NOT NULL,
    object_version      VARCHAR(64),
    environment         VARCHAR(64),
    applicant           VARCHAR(64)   NOT NULL,
    required_approvals  INT           NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    outcome_reason      VARCHAR(2000),
    process_instance_id VARCHAR(64)   NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    finished_at         TIMESTAMP,
    reminded_at         TIMESTAMP,
    CONSTRAINT uk_approval_process UNIQUE (process_instance_id)
);

CREATE INDEX ix_approval_workspace_status ON mf_approval (workspace, status);
CREATE INDEX ix_approval_applicant ON mf_approval (applicant);

CREATE TABLE mf_approval_decision (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    approval_id BIGINT        NOT NULL,
    decided_by  VARCHAR(64)   NOT NULL,
    decision    VARCHAR(16)   NOT NULL,
    comment     VARCHAR(2000),
    decided_at  TIMESTAMP     NOT NULL,
    CONSTRAINT fk_decision_approval FOREIGN KEY (approval_id) REFERENCES mf_approval (id)
);

CREATE INDEX ix_decision_approval ON mf_approval_decision (approval_id);

-- How many distinct approvals a category (and optionally an environment) needs in a workspace; default 1.
CREATE TABLE mf_approval_policy (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace          VARCHAR(64) NOT NULL,
    category           VARCHAR(16) NOT NULL,
    environment        VARCHAR(64) NOT NULL,
    required_approvals INT         NOT NULL,
    CONSTRAINT uk_approval_policy UNIQUE (workspace, category, environment)
);

-- What the console shows people (reminders today). The audience is a workspace's reviewers or one user.
CREATE TABLE mf_notification (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace  VARCHAR(64)   NOT NULL,
    recipient  VARCHAR(64),
    text_en    VARCHAR(500)  NOT NULL,
    text_zh    VARCHAR(500)  NOT NULL,
    link       VARCHAR(255),
    created_at TIMESTAMP     NOT NULL
);

CREATE INDEX ix_notification_workspace ON mf_notification (workspace, created_at);

ALTER TABLE mf_workspace ADD COLUMN webhook_url VARCHAR(500);
