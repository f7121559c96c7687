package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.AuditLog;

/**
 * Ends the application this process instance registered with the status in the task's input {@code closeAs}
 * (APPROVED, REJECTED, WITHDRAWN, EXPIRED) and hands it back to the caller as {@code outcome}. APPROVED and REJECTED
 * must match the recorded decisions: a token moved past the review (a modification) cannot approve anything.
 */
@Component("closeApplication")
class CloseApplication implements JavaDelegate {

    static final String CLOSE_AS = "closeAs";

    private final ApprovalRepository approvals;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Events events;

    CloseApplication(ApprovalRepository approvals, AuditLog auditLog, Clock clock, Events events) {
        this.approvals = approvals;
        this.auditLog = auditLog;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        ApprovalStatus status = ApprovalStatus.valueOf((String) execution.getVariable(CLOSE_AS));
        Approval approval = approvals.findByProcessInstance(execution.getProcessInstanceId())
            .orElseThrow(() -> new ProcessEngineException("no application registered by " + execution.getProcessInstanceId()));
        long approvalId = approval.id();
        if (status == ApprovalStatus.APPROVED || status == ApprovalStatus.REJECTED) {
            ApprovalStatus decided = DecisionRules.outcome(approval, approvals.decisions(approvalId));
            if (decided != status) {
                throw new ProcessEngineException("application " + approvalId + " cannot close " + status
                    + ": its recorded decisions say " + (decided == null ? "PENDING" : decided));
            }
        }
        String reason = switch (status) {
            case REJECTED -> (String) execution.getVariable(OUTCOME_REASON);
            case EXPIRED -> "No decision before the application expired / 申请在审批前已过期";
            case WITHDRAWN -> "Withdrawn by the applicant / 申请人已撤回";
            default -> null;
        };
        if (approvals.close(approvalId, status, reason, Instant.now(clock))) {
            String actor = status == ApprovalStatus.WITHDRAWN ? approval.applicant() : "system";
            if (status == ApprovalStatus.EXPIRED || status == ApprovalStatus.WITHDRAWN) {
                auditLog.record(actor, "APPROVAL_" + status.name(), "approval", String.valueOf(approvalId),
                    approval.workspace(), reason);
            }
            events.publish(approval.workspace(), EventType.APPROVAL_DECIDED, approval.title(), Events.data(
                "approvalId", approvalId, "outcome", status.name(), "reason", reason, "category",
                approval.category().name(), "objectName", approval.objectName(), "applicant", approval.applicant()),
                "/approvals/" + approvalId);
        }
        execution.setVariable(OUTCOME, status.name());
        execution.setVariable(OUTCOME_REASON, reason);
    }
}
