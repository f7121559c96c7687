package io.miniflow.notify;

import java.time.Instant;
import java.util.List;

/** A workspace's subscription; {@code url} and {@code secret} are decrypted (never shown: see SubscriptionView). */
record Subscription(long id, String workspace, Channel channel, String url, String secret, List<String> events,
                    String createdBy, Instant createdAt, Instant deletedAt) {
}
