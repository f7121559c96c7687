package io.miniflow.notify;

import java.time.Instant;

/** One row of the outbox and its log: what was sent to which subscription, and how it went. */
public record Delivery(long id, long subscriptionId, String workspace, String eventId, String eventType,
                       String subject, String payload, DeliveryStatus status, int attempts, Instant nextAttemptAt,
                       Integer responseCode, String lastError, Instant createdAt, Instant updatedAt,
                       Instant deliveredAt, Channel channel) {
}
