package io.miniflow.app;

/** Variable names of app-publish (start form, API, delegates, and the call of review-approval). */
final class PublishVariables {

    static final String PROCESS_KEY = "app-publish";
    static final String WORKSPACE = "workspace";
    static final String APP_CODE = "appCode";
    static final String ENV_CODE = "envCode";
    static final String VERSION = "version";
    static final String ENGINE_VERSION = "engineVersion";
    static final String NOTE = "note";
    /** Who asked to publish: the API's user, or Tasklist's initiator of the start form. */
    static final String PUBLISHER = "publisher";

    /** Set by validation. */
    static final String VERSION_ID = "versionId";
    static final String ENVIRONMENT_ID = "environmentId";
    static final String REQUIRES_APPROVAL = "requiresApproval";
    static final String REQUIRED_APPROVALS = "requiredApprovals";
    static final String APPROVAL_TITLE = "approvalTitle";

    /** Handed back by review-approval. */
    static final String APPROVAL_OUTCOME = "approvalOutcome";
    static final String APPROVAL_REASON = "approvalReason";
    static final String APPROVAL_ID = "approvalId";

    static final String ACCESS_URL = "accessUrl";

    private PublishVariables() {
    }
}
