package io.miniflow.cloudapp.pkg;

import java.time.Instant;

/**
 * An accepted release package of a cloud app. {@code runningIn}: the environments it runs in now (deploys set it);
 * {@code firstDeployedAt}: null while it was never deployed, the only time it may be deleted.
 */
public record ReleasePackage(long id, long appId, String version, String fileName, long size, String sha256,
                             String storageKey, String nginxTest, String nginxProd, String uploadedBy,
                             Instant uploadedAt, String runningIn, Instant firstDeployedAt) {

    public boolean deployed() {
        return firstDeployedAt != null;
    }

    public boolean deletable() {
        return firstDeployedAt == null;
    }
}
