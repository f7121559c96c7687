-- Cloud apps (io.miniflow.cloudapp, seed 001): an app of a workspace with exactly one test and one prod environment,
-- what the environment-build process buys for an environment (resources, database), the certificates uploaded for it,
-- the orders that pay for it and the history of its builds step by step. Deploys (issue 15) add their own tables.

-- name: unique in Miniflow (it becomes the test domain <name>-test.<base domain>). runtime SPRING_BOOT | NODEJS | PHP.
CREATE TABLE mf_cloud_app (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace   VARCHAR(64)   NOT NULL,
    name        VARCHAR(50)   NOT NULL,
    description VARCHAR(500),
    runtime     VARCHAR(16)   NOT NULL,
    created_by  VARCHAR(64)   NOT NULL,
    created_at  TIMESTAMP     NOT NULL,
    CONSTRAINT uk_cloud_app UNIQUE (name)
);
CREATE INDEX ix_cloud_app_workspace ON mf_cloud_app (workspace, name);

-- env: test | prod. status NOT_BUILT → BUILDING → READY, or BUILD_FAILED / RELEASING / RELEASED. plan: null until
-- built. domain and certificate_id: what the current build serves (a replaced certificate takes effect at the next
-- deploy). build_id: the latest build.
CREATE TABLE mf_cloud_env (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id         BIGINT        NOT NULL,
    env            VARCHAR(8)    NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    plan           VARCHAR(16),
    domain         VARCHAR(253),
    certificate_id BIGINT,
    build_id       BIGINT,
    created_at     TIMESTAMP     NOT NULL,
    updated_at     TIMESTAMP     NOT NULL,
    CONSTRAINT uk_cloud_env UNIQUE (app_id, env),
    CONSTRAINT fk_cloud_env_app FOREIGN KEY (app_id) REFERENCES mf_cloud_app (id)
);
CREATE INDEX ix_cloud_env_domain ON mf_cloud_env (domain);

-- One row per uploaded certificate (checked before anything is bought). private_key: the PEM encrypted by SecretBox.
-- cloud_certificate_id: the SLB server certificate it became (standard plan), once uploaded.
CREATE TABLE mf_cloud_certificate (
    id                   BIGINT AUTO_INCREMENT PRIMARY KEY,
    env_id               BIGINT        NOT NULL,
    domain               VARCHAR(253)  NOT NULL,
    certificate_pem      LONGTEXT      NOT NULL,
    private_key          VARCHAR(8000) NOT NULL,
    subject              VARCHAR(500)  NOT NULL,
    not_before           TIMESTAMP     NOT NULL,
    not_after            TIMESTAMP     NOT NULL,
    fingerprint          VARCHAR(64)   NOT NULL,
    cloud_certificate_id VARCHAR(64),
    uploaded_by          VARCHAR(64)   NOT NULL,
    uploaded_at          TIMESTAMP     NOT NULL,
    CONSTRAINT fk_cloud_certificate_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id)
);
CREATE INDEX ix_cloud_certificate_env ON mf_cloud_certificate (env_id, id);

-- One row per build of an environment. status RUNNING → READY, or FAILED / CLOSED (unpaid). process_instance_id: the
-- environment-build instance (null only inside the transaction that starts it).
CREATE TABLE mf_cloud_build (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    env_id              BIGINT        NOT NULL,
    process_instance_id VARCHAR(64),
    started_by          VARCHAR(64)   NOT NULL,
    plan                VARCHAR(16)   NOT NULL,
    months              INT           NOT NULL,
    domain              VARCHAR(253)  NOT NULL,
    certificate_id      BIGINT,
    status              VARCHAR(16)   NOT NULL,
    failure_reason      VARCHAR(2000),
    started_at          TIMESTAMP     NOT NULL,
    ended_at            TIMESTAMP,
    CONSTRAINT uk_cloud_build_process UNIQUE (process_instance_id),
    CONSTRAINT fk_cloud_build_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id)
);
CREATE INDEX ix_cloud_build_env ON mf_cloud_build (env_id, id);

-- What each step of a build did, in order: status STARTED / DONE / FAILED / SKIPPED with a message.
CREATE TABLE mf_cloud_build_step (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    build_id    BIGINT        NOT NULL,
    step        VARCHAR(64)   NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    message     VARCHAR(2000),
    occurred_at TIMESTAMP     NOT NULL,
    CONSTRAINT fk_cloud_build_step_build FOREIGN KEY (build_id) REFERENCES mf_cloud_build (id)
);
CREATE INDEX ix_cloud_build_step_build ON mf_cloud_build_step (build_id, id);

-- One order per build (WeChat Pay native). out_trade_no is derived from the build id, so a retried prepay is the same
-- order. status UNPAID → PAID → REFUNDED, or CLOSED (unpaid after the timeout). amount_fen: 1 yuan = 100 fen.
CREATE TABLE mf_cloud_order (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    env_id         BIGINT        NOT NULL,
    build_id       BIGINT        NOT NULL,
    out_trade_no   VARCHAR(32)   NOT NULL,
    amount_fen     INT           NOT NULL,
    plan           VARCHAR(16)   NOT NULL,
    months         INT           NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    code_url       VARCHAR(500),
    transaction_id VARCHAR(64),
    out_refund_no  VARCHAR(64),
    created_at     TIMESTAMP     NOT NULL,
    paid_at        TIMESTAMP,
    closed_at      TIMESTAMP,
    refunded_at    TIMESTAMP,
    CONSTRAINT uk_cloud_order_trade_no UNIQUE (out_trade_no),
    CONSTRAINT uk_cloud_order_build UNIQUE (build_id),
    CONSTRAINT fk_cloud_order_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id),
    CONSTRAINT fk_cloud_order_build FOREIGN KEY (build_id) REFERENCES mf_cloud_build (id)
);
CREATE INDEX ix_cloud_order_env ON mf_cloud_order (env_id, id);

-- The cloud resources of an environment, recorded by the build as each is created (so a retry or a give-up finds
-- them): kind ECS_INSTANCE (address: its IP; weight: its weight on the load balancer), LOAD_BALANCER (address),
-- RDS_INSTANCE, DNS_RECORD, SERVER_CERTIFICATE. released_at: deleted by a give-up or a release.
CREATE TABLE mf_cloud_resource (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    env_id      BIGINT        NOT NULL,
    build_id    BIGINT        NOT NULL,
    kind        VARCHAR(24)   NOT NULL,
    resource_id VARCHAR(64)   NOT NULL,
    address     VARCHAR(255),
    weight      INT,
    created_at  TIMESTAMP     NOT NULL,
    released_at TIMESTAMP,
    CONSTRAINT uk_cloud_resource UNIQUE (env_id, kind, resource_id),
    CONSTRAINT fk_cloud_resource_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id)
);

-- The environment's database: kind ECS_MYSQL (on the instance) or RDS; password encrypted by SecretBox, shown to
-- workspace admins only.
CREATE TABLE mf_cloud_database (
    env_id        BIGINT        NOT NULL PRIMARY KEY,
    build_id      BIGINT        NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    instance_id   VARCHAR(64)   NOT NULL,
    host          VARCHAR(255)  NOT NULL,
    port          INT           NOT NULL,
    database_name VARCHAR(64)   NOT NULL,
    account_name  VARCHAR(64)   NOT NULL,
    password      VARCHAR(500)  NOT NULL,
    created_at    TIMESTAMP     NOT NULL,
    CONSTRAINT fk_cloud_database_env FOREIGN KEY (env_id) REFERENCES mf_cloud_env (id)
);
