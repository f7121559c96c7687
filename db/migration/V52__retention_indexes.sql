-- Retention (shared.Retention) deletes old rows by these times in batches: each statement finds its rows by an index
-- instead of reading the whole table. mf_audit_log (occurred_at) has one since V1.
CREATE INDEX ix_notify_delivery_updated ON mf_notify_delivery (updated_at);
CREATE INDEX ix_wechat_push_received ON mf_wechat_push (received_at);
CREATE INDEX ix_payment_notification_received ON mf_payment_notification (received_at);
CREATE INDEX ix_refund_notification_received ON mf_refund_notification (received_at);
CREATE INDEX ix_notification_created ON mf_notification (created_at);
