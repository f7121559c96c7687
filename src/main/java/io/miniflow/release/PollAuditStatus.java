package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.AUDIT_REASON;
import static io.miniflow.release.ReleaseVariables.AUDIT_STATUS;

import io.miniflow.release.MiniProgramCodePort.AuditState;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_PollAuditStatus: the fallback when no push arrived; asks the platform for the latest audit. */
@Component("pollAuditStatus")
class PollAuditStatus implements JavaDelegate {

    private final MiniProgramRelease release;

    PollAuditStatus(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        AuditState state = release.auditState(ReleaseVariables.appId(e));
        if (state == null) {
            throw new IllegalStateException("no audit found for " + ReleaseVariables.appId(e) + " after submitting");
        }
        e.setVariable(AUDIT_STATUS, state.status().name());
        if (state.reason() != null) {
            e.setVariable(AUDIT_REASON, state.reason());
        }
    }
}
