package io.miniflow.app;

/**
 * A business environment of an app (dev, test, staging, prod...). {@code onlineVersion} is the version last
 * published here: new tenant apps start from it.
 */
public record AppEnvironment(long id, long appId, String envCode, String name, String domain, String apiDomain,
                             String deployConfig, String storageConfig, boolean requiresApproval,
                             int requiredApprovals, String onlineVersion, Long publishingVersionId) {

    public boolean isPublishing() {
        return publishingVersionId != null;
    }
}
