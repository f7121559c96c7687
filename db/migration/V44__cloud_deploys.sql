-- Deploys of release packages to cloud environments (io.miniflow.cloudapp.deploy, issue 15).
-- required_approvals: approvals a deploy or release of the environment needs (0 = none; prod 1 by default).
ALTER TABLE mf_cloud_env ADD COLUMN required_approvals INT DEFAULT 0 NOT NULL;
UPDATE mf_cloud_env SET required_approvals = 1 WHERE env = 'prod';
-- app_version: the package version installed on an ECS instance (null: none yet).
ALTER TABLE mf_cloud_resource ADD COLUMN app_version VARCHAR(50);

-- One deploy order per request. deploy_no: the order number people see (like seed 001's CNSH_NJ2019...).
-- status WAITING (approval) → RUNNING → SUCCEEDED / FAILED / ROLLED_BACK, or REJECTED (not approved).
-- previous_version: what ran before (the rollback target; null on a first deploy).
-- active_env_id: the environment while the order is WAITING or RUNNING, null after: at most one per environment.
-- download_token: encrypted (SecretBox); the servers fetch the packages with it while the order is active.
CREATE TABLE mf_cloud_deploy (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    deploy_no           VARCHAR(32)   NOT NULL,
    env_id              BIGINT        NOT NULL,
    package_id          BIGINT        NOT NULL,
    version             VARCHAR(50)   NOT NULL,
    previous_version    VARCHAR(50),
    status              VARCHAR(16)   NOT NULL,
    reason              VARCHAR(2000),
    requested_by        VARCHAR(64)   NOT NULL,
    process_instance_id VARCHAR(64),
    approval_id         BIGINT,
    download_token      VARCHAR(500)  NOT NULL,
    active_env_id       BIGINT,
    requested_at        TIMESTAMP     NOT NULL,
    started_at          TIMESTAMP     NULL,
    ended_at            TIMESTAMP     NULL,
    CONSTRAINT uk_cloud_deploy_no UNIQUE (deploy_no),
    CONSTRAINT uk_cloud_deploy_active UNIQUE (active_env_id),
    CONSTRAINT fk_cloud_deploy_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id),
    CONSTRAINT fk_cloud_deploy_package FOREIGN KEY (package_id) REFERENCES mf_cloud_package (id)
);
CREATE INDEX ix_cloud_deploy_env ON mf_cloud_deploy (env_id, id);

-- What the deploy does on each server, in order: phase DEPLOY (the new version) or ROLLBACK (the previous one back).
-- status PENDING → DRAINED → INSTALLING → CHECKING → DONE, or FAILED. Logs come from Cloud Assistant's output.
-- health_checked_at: when the last health check started; one started after health_deadline that fails is the last.
CREATE TABLE mf_cloud_deploy_server (
    id                   BIGINT AUTO_INCREMENT PRIMARY KEY,
    deploy_id            BIGINT        NOT NULL,
    phase                VARCHAR(10)   NOT NULL,
    position             INT           NOT NULL,
    instance_id          VARCHAR(64)   NOT NULL,
    version              VARCHAR(50)   NOT NULL,
    status               VARCHAR(16)   NOT NULL,
    weight               INT,
    invocation_id        VARCHAR(64),
    health_invocation_id VARCHAR(64),
    health_checks        INT           DEFAULT 0 NOT NULL,
    health_checked_at    TIMESTAMP     NULL,
    health_deadline      TIMESTAMP     NULL,
    message              VARCHAR(2000),
    xdeploy_log          LONGTEXT,
    stdout_log           LONGTEXT,
    stderr_log           LONGTEXT,
    started_at           TIMESTAMP     NULL,
    ended_at             TIMESTAMP     NULL,
    CONSTRAINT uk_cloud_deploy_server UNIQUE (deploy_id, phase, instance_id),
    CONSTRAINT fk_cloud_deploy_server_deploy FOREIGN KEY (deploy_id) REFERENCES mf_cloud_deploy (id)
);
CREATE INDEX ix_cloud_deploy_server ON mf_cloud_deploy_server (deploy_id, phase, position);
