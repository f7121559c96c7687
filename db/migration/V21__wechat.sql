-- Miniflow's side of the WeChat third-party platform: the verify ticket, cached tokens, authorizers, received pushes.

CREATE TABLE mf_wechat_ticket (
    component_app_id VARCHAR(64)  PRIMARY KEY,
    ticket           VARCHAR(255) NOT NULL,
    received_at      TIMESTAMP    NOT NULL
);

-- kind COMPONENT (app_id = component appid) or AUTHORIZER. lease_until: the node refreshing it holds the row until then.
CREATE TABLE mf_wechat_token (
    kind        VARCHAR(16)  NOT NULL,
    app_id      VARCHAR(64)  NOT NULL,
    token       VARCHAR(255),
    expires_at  TIMESTAMP,
    lease_until TIMESTAMP,
    lease_owner VARCHAR(64),
    PRIMARY KEY (kind, app_id)
);

CREATE TABLE mf_wechat_authorizer (
    app_id        VARCHAR(64)  PRIMARY KEY,
    status        VARCHAR(16)  NOT NULL,
    refresh_token VARCHAR(255),
    nick_name     VARCHAR(128),
    user_name     VARCHAR(64),
    principal_name VARCHAR(255),
    func_info     VARCHAR(1000),
    business_id   VARCHAR(128),
    authorized_at TIMESTAMP,
    updated_at    TIMESTAMP    NOT NULL
);
CREATE INDEX ix_mf_wechat_authorizer_business ON mf_wechat_authorizer (business_id);

-- One row per distinct push; the unique key makes a replayed push a no-op.
CREATE TABLE mf_wechat_push (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    dedupe_key  VARCHAR(255) NOT NULL,
    info_type   VARCHAR(64)  NOT NULL,
    app_id      VARCHAR(64),
    received_at TIMESTAMP    NOT NULL,
    body        LONGTEXT     NOT NULL,
    CONSTRAINT uk_mf_wechat_push UNIQUE (dedupe_key)
);
