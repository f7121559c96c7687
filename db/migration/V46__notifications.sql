-- Notifications (io.miniflow.notify, issue 16): a workspace's subscriptions to events and the outbox of deliveries.
-- channel WEBHOOK / WECOM / DINGTALK / FEISHU; url and secret are encrypted (SecretBox): a robot's URL carries its key.
-- events: the subscribed event types, comma-separated. deleted_at: removed (its deliveries stay in the log).
CREATE TABLE mf_notify_subscription (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace    VARCHAR(64)   NOT NULL,
    channel      VARCHAR(16)   NOT NULL,
    url          VARCHAR(2000) NOT NULL,
    secret       VARCHAR(1000),
    events       VARCHAR(1000) NOT NULL,
    created_by   VARCHAR(64)   NOT NULL,
    created_at   TIMESTAMP     NOT NULL,
    deleted_at   TIMESTAMP     NULL
);
CREATE INDEX ix_notify_subscription_ws ON mf_notify_subscription (workspace, deleted_at);

-- The outbox: one row per event and subscription, written in the transaction of the event itself.
-- status PENDING → SENDING (claimed by a node until claimed_until) → DELIVERED, or back to PENDING (next_attempt_at,
-- with backoff) and FAILED after the last attempt; CANCELLED when its subscription was removed first.
-- payload: the event as JSON (the generic webhook's body; the robots' messages are made from it at each attempt).
CREATE TABLE mf_notify_delivery (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    subscription_id BIGINT        NOT NULL,
    workspace       VARCHAR(64)   NOT NULL,
    event_id        VARCHAR(36)   NOT NULL,
    event_type      VARCHAR(64)   NOT NULL,
    subject         VARCHAR(500)  NOT NULL,
    payload         LONGTEXT      NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    attempts        INT           DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP     NOT NULL,
    claimed_by      VARCHAR(100),
    claimed_until   TIMESTAMP     NULL,
    response_code   INT,
    last_error      VARCHAR(1000),
    created_at      TIMESTAMP     NOT NULL,
    updated_at      TIMESTAMP     NOT NULL,
    delivered_at    TIMESTAMP     NULL,
    CONSTRAINT fk_notify_delivery_subscription FOREIGN KEY (subscription_id) REFERENCES mf_notify_subscription (id)
);
CREATE INDEX ix_notify_delivery_due ON mf_notify_delivery (status, next_attempt_at);
CREATE INDEX ix_notify_delivery_ws ON mf_notify_delivery (workspace, id);
CREATE INDEX ix_notify_delivery_sub ON mf_notify_delivery (subscription_id, id);
