-- The WeChat third-party platform emulator (sandbox profiles only use these; they are harmless elsewhere).
-- Its state lives here so a restart continues against the same platform.

CREATE TABLE sandbox_wechat_setting (
    name  VARCHAR(64) PRIMARY KEY,
    val   LONGTEXT
);

CREATE TABLE sandbox_wechat_token (
    token      VARCHAR(128) PRIMARY KEY,
    kind       VARCHAR(16)  NOT NULL,
    app_id     VARCHAR(64)  NOT NULL,
    expires_at TIMESTAMP    NOT NULL
);
CREATE INDEX ix_sbwx_token_app ON sandbox_wechat_token (app_id);

CREATE TABLE sandbox_wechat_code (
    code       VARCHAR(128) PRIMARY KEY,
    kind       VARCHAR(16)  NOT NULL,
    app_id     VARCHAR(64),
    expires_at TIMESTAMP    NOT NULL,
    used       BOOLEAN      NOT NULL
);

CREATE TABLE sandbox_wechat_authorizer (
    app_id        VARCHAR(64)  PRIMARY KEY,
    nick_name     VARCHAR(128) NOT NULL,
    user_name     VARCHAR(64)  NOT NULL,
    refresh_token VARCHAR(128) NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    auth_time     TIMESTAMP    NOT NULL,
    state_json    LONGTEXT     NOT NULL
);

CREATE TABLE sandbox_wechat_draft (
    draft_id     BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_version VARCHAR(64)  NOT NULL,
    user_desc    VARCHAR(255) NOT NULL,
    create_time  TIMESTAMP    NOT NULL
);

CREATE TABLE sandbox_wechat_template (
    template_id   BIGINT AUTO_INCREMENT PRIMARY KEY,
    draft_id      BIGINT       NOT NULL,
    user_version  VARCHAR(64)  NOT NULL,
    user_desc     VARCHAR(255) NOT NULL,
    template_type INT          NOT NULL,
    create_time   TIMESTAMP    NOT NULL
);

CREATE TABLE sandbox_wechat_audit (
    audit_id     BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id       VARCHAR(64)   NOT NULL,
    user_version VARCHAR(64)   NOT NULL,
    user_desc    VARCHAR(255),
    version_desc VARCHAR(1000),
    status       INT           NOT NULL,
    reason       VARCHAR(1000),
    screenshot   VARCHAR(1000),
    submitted_at TIMESTAMP     NOT NULL,
    decide_at    TIMESTAMP     NOT NULL,
    planned      VARCHAR(16)   NOT NULL,
    planned_reason VARCHAR(1000),
    delay_pushed BOOLEAN       NOT NULL
);
CREATE INDEX ix_sbwx_audit_app ON sandbox_wechat_audit (app_id);
CREATE INDEX ix_sbwx_audit_due ON sandbox_wechat_audit (status, decide_at);

CREATE TABLE sandbox_wechat_rule (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    outcome  VARCHAR(16)   NOT NULL,
    app_id   VARCHAR(64),
    desc_contains VARCHAR(255),
    reason   VARCHAR(1000)
);

CREATE TABLE sandbox_wechat_stat (
    api     VARCHAR(64) NOT NULL,
    app_id  VARCHAR(64) NOT NULL,
    calls   BIGINT      NOT NULL,
    repeats BIGINT      NOT NULL,
    PRIMARY KEY (api, app_id)
);
