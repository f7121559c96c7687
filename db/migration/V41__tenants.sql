-- Tenants that SaaS platforms open through the OpenAPI (io.miniflow.tenant), their tenant apps (one
-- tenant-provisioning instance each), the WeChat authorization links and the webhooks sent about them.

-- status OPENING → ACTIVE, or FAILED (error_code) / CLOSED. request_hash: the opening request as received, so the
-- same request again is answered with this tenant and a different one with 409.
CREATE TABLE mf_tenant (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace    VARCHAR(64)   NOT NULL,
    tenant_code  VARCHAR(64)   NOT NULL,
    name         VARCHAR(100)  NOT NULL,
    contact      VARCHAR(200),
    status       VARCHAR(16)   NOT NULL,
    error_code   VARCHAR(64),
    notify_url   VARCHAR(500),
    request_hash VARCHAR(64)   NOT NULL,
    opened_by    VARCHAR(64)   NOT NULL,
    created_at   TIMESTAMP     NOT NULL,
    updated_at   TIMESTAMP     NOT NULL,
    CONSTRAINT uk_tenant UNIQUE (workspace, tenant_code)
);
CREATE INDEX ix_tenant_status ON mf_tenant (workspace, status);

-- stage CREATED → WAITING_AUTHORIZATION → BOUND → RELEASING → LIVE, or FAILED / CLOSED. error_code and error_args
-- name the reason through the i18n/tenant bundle (tenant.error.<code>), so each reader gets their language.
-- business_id: the unguessable id of the authorization link (/wechat/authorize/{business_id}); a renewal replaces it.
CREATE TABLE mf_tenant_app (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    tenant_id           BIGINT        NOT NULL,
    workspace           VARCHAR(64)   NOT NULL,
    tenant_app_code     VARCHAR(64)   NOT NULL,
    app_code            VARCHAR(50)   NOT NULL,
    env_code            VARCHAR(50)   NOT NULL,
    created_from        VARCHAR(32),
    template_id         BIGINT,
    ext_json            VARCHAR(8000),
    stage               VARCHAR(24)   NOT NULL,
    error_code          VARCHAR(64),
    error_args          VARCHAR(500),
    business_id         VARCHAR(64),
    link_expires_at     TIMESTAMP,
    mini_program_app_id VARCHAR(64),
    released_version    VARCHAR(64),
    process_instance_id VARCHAR(64),
    request_hash        VARCHAR(64)   NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    updated_at          TIMESTAMP     NOT NULL,
    CONSTRAINT uk_tenant_app UNIQUE (workspace, tenant_app_code),
    CONSTRAINT uk_tenant_app_business UNIQUE (business_id),
    CONSTRAINT fk_tenant_app_tenant FOREIGN KEY (tenant_id) REFERENCES mf_tenant (id)
);
CREATE INDEX ix_tenant_app_tenant ON mf_tenant_app (tenant_id);
CREATE INDEX ix_tenant_app_mini_program ON mf_tenant_app (mini_program_app_id);

-- A mini program serves one tenant app at a time: the primary key refuses a second binding; closing deletes it.
CREATE TABLE mf_tenant_binding (
    mini_program_app_id VARCHAR(64) NOT NULL PRIMARY KEY,
    tenant_app_id       BIGINT      NOT NULL,
    bound_at            TIMESTAMP   NOT NULL,
    CONSTRAINT fk_tenant_binding_app FOREIGN KEY (tenant_app_id) REFERENCES mf_tenant_app (id)
);

-- The pre_auth_codes handed out for a link (SHA-256 of the code, never the code): WeChat's `authorized` push names
-- the pre_auth_code, not the link, so this finds the tenant app the push is about.
CREATE TABLE mf_tenant_preauth (
    code_hash   VARCHAR(64) NOT NULL PRIMARY KEY,
    business_id VARCHAR(64) NOT NULL,
    created_at  TIMESTAMP   NOT NULL
);
CREATE INDEX ix_tenant_preauth_created ON mf_tenant_preauth (created_at);

-- Webhooks to the SaaS platform's notifyUrl: one row per delivery (its id is sent as X-Miniflow-Delivery and stays
-- the same across attempts), status PENDING → DELIVERED, or FAILED after the last attempt.
CREATE TABLE mf_tenant_webhook (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    tenant_app_id   BIGINT        NOT NULL,
    delivery_id     VARCHAR(200)  NOT NULL,
    event           VARCHAR(32)   NOT NULL,
    url             VARCHAR(500)  NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL,
    last_status     INT,
    last_error      VARCHAR(500),
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL,
    CONSTRAINT uk_tenant_webhook UNIQUE (delivery_id),
    CONSTRAINT fk_tenant_webhook_app FOREIGN KEY (tenant_app_id) REFERENCES mf_tenant_app (id)
);
CREATE INDEX ix_tenant_webhook_app ON mf_tenant_webhook (tenant_app_id, id);
