package io.miniflow.app;

import java.time.Instant;

/**
 * A version of an app in one environment, with what the console lists: version, engine, status, source, note, time
 * and publisher; {@code storageLocation} is the file storage its deploy wrote to.
 */
public record AppVersion(long id, long environmentId, String version, String engineVersion, String note, String source,
                         VersionStatus status, String createdBy, Instant createdAt, String publishedBy,
                         Instant publishedAt, String processInstanceId, String failureReason,
                         String storageLocation) {

    /** Versions that were never published can be deleted. */
    public boolean isDeletable() {
        return publishedAt == null && status != VersionStatus.PUBLISHING;
    }
}
