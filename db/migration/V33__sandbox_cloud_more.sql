-- More outside-platform state for cloud apps (issue #14): the Aliyun emulator's RDS instances with their databases,
-- accounts and privileges, and its Alibaba Cloud DNS records; the WeChat Pay emulator's refunds; and the refund
-- notifications Miniflow has processed (a replay or a second one for the same refund and state changes nothing).

CREATE TABLE sandbox_aliyun_db_instance (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    db_instance_id     VARCHAR(32)  NOT NULL,
    region_id          VARCHAR(32)  NOT NULL,
    zone_id            VARCHAR(32),
    engine             VARCHAR(16)  NOT NULL,
    engine_version     VARCHAR(16)  NOT NULL,
    instance_class     VARCHAR(64)  NOT NULL,
    storage_gb         INT          NOT NULL,
    net_type           VARCHAR(16)  NOT NULL,
    pay_type           VARCHAR(16)  NOT NULL,
    vpc_id             VARCHAR(64),
    vswitch_id         VARCHAR(64),
    description        VARCHAR(256),
    security_ips       VARCHAR(1000),
    connection_string  VARCHAR(128) NOT NULL,
    port               INT          NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    -- when Creating turns Running (epoch millis; evaluated when read), null once reached
    running_at         BIGINT,
    created_at         TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_db_instance UNIQUE (db_instance_id)
);

CREATE TABLE sandbox_aliyun_db_database (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    db_instance_id  VARCHAR(32)  NOT NULL,
    db_name         VARCHAR(64)  NOT NULL,
    character_set   VARCHAR(16)  NOT NULL,
    description     VARCHAR(256),
    CONSTRAINT uk_sandbox_aliyun_db_database UNIQUE (db_instance_id, db_name)
);

CREATE TABLE sandbox_aliyun_db_account (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    db_instance_id   VARCHAR(32)  NOT NULL,
    account_name     VARCHAR(32)  NOT NULL,
    -- SHA-256 of the password: the emulator never needs it back
    password_digest  VARCHAR(64)  NOT NULL,
    account_type     VARCHAR(16)  NOT NULL,
    description      VARCHAR(256),
    CONSTRAINT uk_sandbox_aliyun_db_account UNIQUE (db_instance_id, account_name)
);

CREATE TABLE sandbox_aliyun_db_privilege (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    db_instance_id  VARCHAR(32)  NOT NULL,
    account_name    VARCHAR(32)  NOT NULL,
    db_name         VARCHAR(64)  NOT NULL,
    privilege       VARCHAR(16)  NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_db_privilege UNIQUE (db_instance_id, account_name, db_name)
);

CREATE TABLE sandbox_aliyun_dns_record (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    record_id    VARCHAR(32)  NOT NULL,
    domain_name  VARCHAR(128) NOT NULL,
    rr           VARCHAR(128) NOT NULL,
    record_type  VARCHAR(16)  NOT NULL,
    record_value VARCHAR(512) NOT NULL,
    ttl          BIGINT       NOT NULL,
    line         VARCHAR(32)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_dns_record UNIQUE (record_id)
);

CREATE INDEX ix_sandbox_aliyun_dns_record_name ON sandbox_aliyun_dns_record (domain_name, rr);

CREATE TABLE sandbox_wechatpay_refund (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    mchid          VARCHAR(32)   NOT NULL,
    out_refund_no  VARCHAR(64)   NOT NULL,
    out_trade_no   VARCHAR(32)   NOT NULL,
    transaction_id VARCHAR(32)   NOT NULL,
    refund_id      VARCHAR(32)   NOT NULL,
    reason         VARCHAR(80),
    notify_url     VARCHAR(256),
    amount_refund  BIGINT        NOT NULL,
    amount_total   BIGINT        NOT NULL,
    currency       VARCHAR(8)    NOT NULL,
    request_digest VARCHAR(64)   NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    success_time   TIMESTAMP,
    created_at     TIMESTAMP     NOT NULL,
    CONSTRAINT uk_sandbox_wechatpay_refund UNIQUE (mchid, out_refund_no)
);

CREATE TABLE mf_refund_notification (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_id       VARCHAR(64)  NOT NULL,
    out_trade_no   VARCHAR(32)  NOT NULL,
    out_refund_no  VARCHAR(64)  NOT NULL,
    refund_id      VARCHAR(32),
    refund_status  VARCHAR(16)  NOT NULL,
    amount_refund  BIGINT       NOT NULL,
    received_at    TIMESTAMP    NOT NULL,
    CONSTRAINT uk_refund_notification_event UNIQUE (event_id),
    CONSTRAINT uk_refund_notification_refund UNIQUE (out_refund_no, refund_status)
);
