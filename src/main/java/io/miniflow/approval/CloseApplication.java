package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import io.miniflow.shared.AuditLog;

/**
 * Ends an application with the status in the task's input {@code closeAs} (APPROVED, REJECTED, WITHDRAWN,
 * EXPIRED) and hands it back to the caller as {@code outcome}.
 */
@Component("closeApplication")
@Profile("!sandbox-only")
class CloseApplication implements JavaDelegate {

    static final String CLOSE_AS = "closeAs";

    private final ApprovalRepository approvals;
    private final AuditLog auditLog;
    private final Clock clock;

    CloseApplication(ApprovalRepository approvals, AuditLog auditLog, Clock clock) {
        this.approvals = approvals;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ApprovalStatus status = ApprovalStatus.valueOf((String) execution.getVariable(CLOSE_AS));
        long approvalId = ((Number) execution.getVariable(APPROVAL_ID)).longValue();
        String reason = switch (status) {
            case REJECTED -> (String) execution.getVariable(OUTCOME_REASON);
            case EXPIRED -> "No decision before the application expired / 申请在审批前已过期";
            case WITHDRAWN -> "Withdrawn by the applicant / 申请人已撤回";
            default -> null;
        };
        if (approvals.close(approvalId, status, reason, Instant.now(clock))) {
            String actor = status == ApprovalStatus.WITHDRAWN
                ? (String) execution.getVariable(APPLICANT) : "system";
            if (status == ApprovalStatus.EXPIRED || status == ApprovalStatus.WITHDRAWN) {
                auditLog.record(actor, "APPROVAL_" + status.name(), "approval", String.valueOf(approvalId),
                    (String) execution.getVariable(WORKSPACE), reason);
            }
        }
        execution.setVariable(OUTCOME, status.name());
        execution.setVariable(OUTCOME_REASON, reason);
    }
}
