package io.miniflow.openapi;

import java.time.Instant;

/** A team key as it may be shown after its creation: everything but the secret. */
public record OpenApiKey(String appId, String workspace, String createdBy, Instant createdAt, Instant lastUsedAt,
                         Instant revokedAt, String revokedBy) {

    public boolean isActive() {
        return revokedAt == null;
    }
}
