package io.miniflow.approval;

import static io.miniflow.shared.ProcessVariable.count;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import java.util.List;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables a process keeps around its call of review-approval (a call activity mapping them in and out, as
 * environment-deploy and environment-release do): how many approvals it asks for (0: none, the call is skipped), the
 * application's title, and what the review handed back.
 */
public final class ReviewCall {

    public static final ProcessVariable<Integer> REQUIRED_APPROVALS = count("requiredApprovals");
    public static final ProcessVariable<String> TITLE = text("approvalTitle");
    public static final ProcessVariable<String> OUTCOME = text("approvalOutcome");
    public static final ProcessVariable<String> REASON = text("approvalReason");
    public static final ProcessVariable<Long> APPROVAL_ID = id("approvalId");

    private ReviewCall() {
    }

    /** Their names, for a process's ProtectedVariables declaration. */
    public static List<ProcessVariable<?>> all() {
        return List.of(REQUIRED_APPROVALS, TITLE, OUTCOME, REASON, APPROVAL_ID);
    }
}
