package io.miniflow.approval;

import org.springframework.stereotype.Component;

/**
 * Answers other features whether an application approved exactly what they are about to do, from the recorded
 * application, not from what a process variable claims.
 */
@Component
public class ApprovedApplications {

    private final ApprovalRepository approvals;

    ApprovedApplications(ApprovalRepository approvals) {
        this.approvals = approvals;
    }

    /** True when application {@code approvalId} is APPROVED and is about this object in this workspace. */
    public boolean approves(long approvalId, ApprovalCategory category, String workspace, String objectName,
                            String objectVersion, String environment) {
        return approvals.findById(approvalId)
            .filter(a -> a.status() == ApprovalStatus.APPROVED && a.category() == category)
            .filter(a -> a.workspace().equals(workspace) && a.objectName().equals(objectName))
            .filter(a -> java.util.Objects.equals(a.objectVersion(), objectVersion))
            .filter(a -> java.util.Objects.equals(a.environment(), environment))
            .isPresent();
    }
}
