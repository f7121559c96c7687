package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.AuditLog;

/**
 * First step of review-approval: records the application (once per process instance, so a repeated step changes
 * nothing) and settles how many approvals it needs: the caller's number if given, else the workspace's policy.
 */
@Component("registerApplication")
class RegisterApplication implements JavaDelegate {

    private final ApprovalRepository approvals;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Events events;

    RegisterApplication(ApprovalRepository approvals, AuditLog auditLog, Clock clock, Events events) {
        this.approvals = approvals;
        this.auditLog = auditLog;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String processInstanceId = execution.getProcessInstanceId();
        Approval existing = approvals.findByProcessInstance(processInstanceId).orElse(null);
        if (existing != null) {
            execution.setVariable(APPROVAL_ID, existing.id());
            execution.setVariable(REQUIRED_APPROVALS, existing.requiredApprovals());
            return;
        }
        NewApplication application = NewApplication.fromVariables(execution.getVariables());
        Object given = execution.getVariable(REQUIRED_APPROVALS);
        int required = given instanceof Number n && n.intValue() > 0
            ? n.intValue()
            : approvals.requiredApprovals(application.workspace(), application.category(), application.environment());
        Instant now = Instant.now(clock);
        long id = approvals.insert(application, required, processInstanceId, now);
        execution.setVariable(APPROVAL_ID, id);
        execution.setVariable(REQUIRED_APPROVALS, required);
        auditLog.record(application.applicant(), "APPROVAL_APPLIED", "approval", String.valueOf(id),
            application.workspace(), application.category() + " " + application.title());
        events.publish(application.workspace(), EventType.APPROVAL_REQUESTED, application.title(), Events.data(
            "approvalId", id, "category", application.category().name(), "title", application.title(),
            "objectName", application.objectName(), "objectVersion", application.objectVersion(),
            "environment", application.environment(), "applicant", application.applicant(),
            "requiredApprovals", required), "/approvals/" + id);
    }
}
