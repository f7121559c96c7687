package io.miniflow.app;

import java.time.Instant;

/**
 * An app key as listed: never its secret, which is shown once when the key is made. A rotated key has
 * {@code replacedBy} and works until {@code expiresAt}; a revoked one works no more.
 */
public record AppKey(String keyId, AppKeyKind kind, String createdBy, Instant createdAt, String replacedBy,
                     Instant expiresAt, Instant revokedAt, String revokedBy, Instant lastUsedAt) {

    public enum State { ACTIVE, EXPIRING, EXPIRED, REVOKED }

    public State stateAt(Instant now) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (expiresAt == null) {
            return State.ACTIVE;
        }
        return expiresAt.isAfter(now) ? State.EXPIRING : State.EXPIRED;
    }

    /** Signs and reads now: neither revoked nor past the end of its overlap. */
    public boolean validAt(Instant now) {
        State state = stateAt(now);
        return state == State.ACTIVE || state == State.EXPIRING;
    }
}
