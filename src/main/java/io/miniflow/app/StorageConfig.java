package io.miniflow.app;

/** A file-storage config for files that do not depend on a version (images and the like). */
public record StorageConfig(long id, String workspace, String name, String vendor, String bucket, String region,
                            String baseUrl, String note) {
}
