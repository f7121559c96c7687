package io.miniflow.release;

import static io.miniflow.release.ServiceChanges.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import io.miniflow.approval.ApprovalCategory;
import io.miniflow.approval.ApprovedApplications;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;

/**
 * Task_ChangeService of wechat-mp-service: suspends or restores the mini program's service at the platform, only
 * for what the recorded application approved (a token moved past the review stops here as an incident). Repeating
 * it changes nothing more (close on a closed service is close). A refusal that waiting cannot help (no version
 * online, a wrong state) ends the request as it was, with the platform's words; anything else is retried.
 */
@Component("changeMiniProgramService")
class ChangeMiniProgramService implements JavaDelegate {

    private final MiniProgramCodePort platform;
    private final MiniProgramServiceStore store;
    private final ApprovedApplications approvedApplications;
    private final AuditLog auditLog;
    private final Clock clock;

    ChangeMiniProgramService(MiniProgramCodePort platform, MiniProgramServiceStore store,
                             ApprovedApplications approvedApplications, AuditLog auditLog, Clock clock) {
        this.platform = platform;
        this.store = store;
        this.approvedApplications = approvedApplications;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution e) {
        String appId = (String) e.getVariable(APP_ID);
        String workspace = (String) e.getVariable(WORKSPACE);
        Kind kind = Kind.valueOf((String) e.getVariable(ACTION));
        Object approvalId = e.getVariable(APPROVAL_ID);
        if (!(approvalId instanceof Number id) || !approvedApplications.approves(id.longValue(),
                ApprovalCategory.valueOf(kind.approvalCategory), workspace, appId, null, null)) {
            throw new ProcessEngineException("No approved application to " + kind + " " + appId + " / " + appId
                + " 没有已通过的申请");
        }
        try {
            platform.changeService(appId, kind == Kind.RESTORE);
        } catch (MiniflowException refusal) {
            if (refusal.status() == HttpStatus.CONFLICT) {
                String reason = refusal.getMessage();
                store.refused(appId, reason);
                e.setVariable(REFUSAL, reason);
                throw new BpmnError("PLATFORM_REFUSED", reason);
            }
            throw refusal;
        }
        String requester = (String) e.getVariable(REQUESTER);
        store.changed(appId, kind.resultingStatus, requester, id.longValue(), Instant.now(clock));
        auditLog.record(requester, "MINI_PROGRAM_" + kind.resultingStatus, "mini-program", appId, workspace,
            "approval " + id.longValue());
    }
}
