package io.miniflow.notify;

/** A delivery of the outbox: PENDING (due at next_attempt_at), SENDING (claimed), then DELIVERED or FAILED; CANCELLED. */
public enum DeliveryStatus {
    PENDING, SENDING, DELIVERED, FAILED, CANCELLED
}
