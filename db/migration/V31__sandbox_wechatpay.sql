-- State of the WeChat Pay v3 emulator (io.miniflow.sandbox.wechatpay): the sandbox merchant with its keys
-- (generated at first start), Native orders, and the payment notifications sent to notify_url.

CREATE TABLE sandbox_wechatpay_merchant (
    id                     BIGINT AUTO_INCREMENT PRIMARY KEY,
    mchid                  VARCHAR(32)  NOT NULL,
    appid                  VARCHAR(32)  NOT NULL,
    serial_no              VARCHAR(64)  NOT NULL,
    merchant_private_key   LONGTEXT     NOT NULL,
    merchant_public_key    LONGTEXT     NOT NULL,
    platform_private_key   LONGTEXT     NOT NULL,
    platform_public_key    LONGTEXT     NOT NULL,
    platform_public_key_id VARCHAR(64)  NOT NULL,
    api_v3_key             VARCHAR(32)  NOT NULL,
    created_at             TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_wechatpay_merchant UNIQUE (mchid)
);

CREATE TABLE sandbox_wechatpay_order (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    mchid          VARCHAR(32)   NOT NULL,
    appid          VARCHAR(32)   NOT NULL,
    out_trade_no   VARCHAR(32)   NOT NULL,
    description    VARCHAR(127)  NOT NULL,
    notify_url     VARCHAR(256)  NOT NULL,
    attach         VARCHAR(128),
    amount_total   BIGINT        NOT NULL,
    currency       VARCHAR(8)    NOT NULL,
    request_digest VARCHAR(64)   NOT NULL,
    code_url       VARCHAR(128)  NOT NULL,
    trade_state    VARCHAR(16)   NOT NULL,
    transaction_id VARCHAR(32),
    payer_openid   VARCHAR(64),
    success_time   TIMESTAMP,
    created_at     TIMESTAMP     NOT NULL,
    CONSTRAINT uk_sandbox_wechatpay_order UNIQUE (mchid, out_trade_no)
);

CREATE TABLE sandbox_wechatpay_notification (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_id       VARCHAR(64)   NOT NULL,
    out_trade_no   VARCHAR(32)   NOT NULL,
    notify_url     VARCHAR(256)  NOT NULL,
    headers        LONGTEXT      NOT NULL,
    body           LONGTEXT      NOT NULL,
    attempts       INT           NOT NULL,
    last_status    INT,
    delivered      BOOLEAN       NOT NULL,
    created_at     TIMESTAMP     NOT NULL,
    CONSTRAINT uk_sandbox_wechatpay_notification UNIQUE (event_id)
);

CREATE INDEX ix_sandbox_wechatpay_notification_order ON sandbox_wechatpay_notification (out_trade_no);
