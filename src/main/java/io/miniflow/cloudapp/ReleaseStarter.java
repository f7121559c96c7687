package io.miniflow.cloudapp;

/**
 * Starts the environment-release process for an environment that {@link EnvironmentReleases} has just moved to
 * RELEASING (in the same transaction: when starting fails, the status rolls back). The process feature implements it;
 * until a bean exists, release requests are answered 503 {@code cloudapp.release.unavailable}.
 */
public interface ReleaseStarter {

    /**
     * @param requiredApprovals approvals the release needs before anything is deleted (0: none)
     * @param returnTo the status the environment goes back to when the release is not approved
     * @return the id of the process instance that releases it
     */
    String start(long environmentId, long buildId, String requestedBy, int requiredApprovals,
                 EnvironmentStatus returnTo);
}
