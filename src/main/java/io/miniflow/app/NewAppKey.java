package io.miniflow.app;

import java.time.Instant;

/**
 * A key just made, with its secret: the only answer that ever carries it. {@code previousKeyId} and
 * {@code previousExpiresAt} tell after a rotation until when the old key still works.
 */
public record NewAppKey(String keyId, AppKeyKind kind, String secret, Instant createdAt, String previousKeyId,
                        Instant previousExpiresAt) {

    @Override
    public String toString() {
        return "NewAppKey[keyId=" + keyId + ", kind=" + kind + "]";
    }
}
