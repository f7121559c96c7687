package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.AUDIT_ID;
import static io.miniflow.release.ReleaseVariables.REJECTION_FEEDBACK;
import static io.miniflow.release.ReleaseVariables.USER_DESC;
import static io.miniflow.release.ReleaseVariables.USER_VERSION;
import static io.miniflow.release.ReleaseVariables.WAIT_REASON;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_SubmitAudit: submits (or finds the running audit of) this version; waits and quota become BPMN errors. */
@Component("submitAudit")
class SubmitAudit implements JavaDelegate {

    private final MiniProgramRelease release;

    SubmitAudit(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        try {
            long auditId = release.submitAudit(APP_ID.from(e), USER_VERSION.from(e), USER_DESC.optional(e).orElse(null),
                REJECTION_FEEDBACK.optional(e).orElse(null));
            AUDIT_ID.set(e, auditId);
            WAIT_REASON.remove(e);
        } catch (PlatformRefusal refusal) {
            // The platform's own words (its adapter puts its code in them): what operators look up when it lasts.
            WAIT_REASON.set(e, refusal.getMessage());
            throw new BpmnError(ReleaseErrors.codeOf(refusal.kind()), refusal.getMessage());
        }
    }
}
