-- WeChat template releases to many mini programs: one batch (wechat-template-release) with one item per mini
-- program (each a wechat-mp-release instance), and per-mini-program settings that render its ext_json.

CREATE TABLE mf_release_batch (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace           VARCHAR(64)   NOT NULL,
    template_id         BIGINT        NOT NULL,
    user_version        VARCHAR(64)   NOT NULL,
    user_desc           VARCHAR(500)  NOT NULL,
    gray_plan           VARCHAR(64),
    concurrency         INT           NOT NULL,
    failure_threshold   INT           NOT NULL,
    -- Mini programs started and not yet finished: the dispatcher keeps this at or below concurrency.
    in_flight           INT           NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    status_reason       VARCHAR(500),
    process_instance_id VARCHAR(64),
    retry_of            BIGINT,
    created_by          VARCHAR(64)   NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    finished_at         TIMESTAMP
);

CREATE INDEX ix_release_batch_status ON mf_release_batch (status);
CREATE INDEX ix_release_batch_template ON mf_release_batch (template_id, status);

CREATE TABLE mf_release_item (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    batch_id            BIGINT        NOT NULL,
    app_id              VARCHAR(64)   NOT NULL,
    stage               VARCHAR(16)   NOT NULL,
    last_error          VARCHAR(1000),
    process_instance_id VARCHAR(64),
    updated_at          TIMESTAMP(3)  NOT NULL,
    CONSTRAINT uk_release_item UNIQUE (batch_id, app_id),
    CONSTRAINT fk_release_item_batch FOREIGN KEY (batch_id) REFERENCES mf_release_batch (id)
);

CREATE INDEX ix_release_item_stage ON mf_release_item (batch_id, stage);

-- What a tenant's mini program is released with: ext_json fields, domains, privacy contact (seed 002).
CREATE TABLE mf_mp_settings (
    app_id                VARCHAR(64)   PRIMARY KEY,
    ext_json              VARCHAR(8000),
    request_domains       VARCHAR(2000),
    webview_domains       VARCHAR(2000),
    privacy_contact_email VARCHAR(255),
    updated_at            TIMESTAMP     NOT NULL
);
