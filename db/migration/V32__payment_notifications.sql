-- WeChat Pay notifications Miniflow has processed: a replayed notification (same id) or a second one for the same
-- order and state changes nothing.

CREATE TABLE mf_payment_notification (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_id       VARCHAR(64)  NOT NULL,
    out_trade_no   VARCHAR(32)  NOT NULL,
    transaction_id VARCHAR(32),
    trade_state    VARCHAR(16)  NOT NULL,
    amount_total   BIGINT       NOT NULL,
    received_at    TIMESTAMP    NOT NULL,
    CONSTRAINT uk_payment_notification_event UNIQUE (event_id),
    CONSTRAINT uk_payment_notification_order UNIQUE (out_trade_no, trade_state)
);
