package io.miniflow.approval;

/**
 * Variable names of review-approval. Callers (app-publish's call activity, the API) pass the inputs; the process
 * hands back {@link #OUTCOME} and {@link #OUTCOME_REASON}.
 */
public final class ApprovalVariables {

    public static final String WORKSPACE = "workspace";
    public static final String CATEGORY = "category";
    public static final String TITLE = "title";
    public static final String OBJECT_NAME = "objectName";
    public static final String OBJECT_VERSION = "objectVersion";
    public static final String ENVIRONMENT = "environment";
    public static final String APPLICANT = "applicant";
    /** Optional input: distinct approvals needed; when absent the workspace's policy decides (default 1). */
    public static final String REQUIRED_APPROVALS = "requiredApprovals";
    public static final String APPROVAL_ID = "approvalId";

    /** Form fields of the review task. */
    public static final String DECISION = "decision";
    public static final String COMMENT = "comment";

    /** Set by each decision: REJECTED, APPROVED, or NEEDS_MORE while approvals are missing. */
    public static final String REVIEW_STATE = "reviewState";
    /** The final status (an {@link ApprovalStatus} name) and, for rejections and expiry, why. */
    public static final String OUTCOME = "outcome";
    public static final String OUTCOME_REASON = "outcomeReason";

    public static final String WITHDRAW_MESSAGE = "approval-withdrawn";
    public static final String PROCESS_KEY = "review-approval";

    private ApprovalVariables() {
    }
}
