package io.miniflow.app;

/** Where an app version stands in one environment. */
public enum VersionStatus {
    /** Created, not (yet) published: waiting for a publish, or back here after a refused approval. */
    PENDING_PUBLISH,
    /** Being deployed. */
    PUBLISHING,
    /** Deployed and switched online at least once. */
    PUBLISHED,
    /** The deploy gave up (an incident waits for an operator), or the publish was cancelled. */
    FAILED,
    /** Was online, and removed on an approved removal application: the previous version went back online. */
    REMOVED
}
