-- Miniflow's own tables for the foundation: workspaces, their members, the audit log.
-- Users and groups themselves live in Camunda's identity tables (ACT_ID_*): one identity for everything.

CREATE TABLE mf_workspace (
    id                   BIGINT AUTO_INCREMENT PRIMARY KEY,
    name                 VARCHAR(64)  NOT NULL,
    business_scope       VARCHAR(64)  NOT NULL,
    address              VARCHAR(255) NOT NULL,
    representative_name  VARCHAR(100) NOT NULL,
    representative_email VARCHAR(255) NOT NULL,
    status               VARCHAR(16)  NOT NULL,
    created_at           TIMESTAMP    NOT NULL,
    created_by           VARCHAR(64)  NOT NULL,
    CONSTRAINT uk_workspace_name UNIQUE (name)
);

CREATE TABLE mf_workspace_member (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace_id BIGINT      NOT NULL,
    username     VARCHAR(64) NOT NULL,
    role         VARCHAR(32) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    joined_at    TIMESTAMP   NOT NULL,
    CONSTRAINT uk_member UNIQUE (workspace_id, username),
    CONSTRAINT fk_member_workspace FOREIGN KEY (workspace_id) REFERENCES mf_workspace (id)
);

CREATE TABLE mf_audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    occurred_at TIMESTAMP     NOT NULL,
    actor       VARCHAR(64)   NOT NULL,
    action      VARCHAR(64)   NOT NULL,
    object_type VARCHAR(64)   NOT NULL,
    object_id   VARCHAR(128)  NOT NULL,
    workspace   VARCHAR(64),
    detail      VARCHAR(2000)
);

CREATE INDEX ix_audit_occurred ON mf_audit_log (occurred_at);
CREATE INDEX ix_audit_actor ON mf_audit_log (actor);
CREATE INDEX ix_audit_workspace ON mf_audit_log (workspace);
