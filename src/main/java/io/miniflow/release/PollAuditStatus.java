package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
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
        String appId = APP_ID.from(e);
        AuditState state = release.auditState(appId);
        if (state == null) {
            throw new IllegalStateException("no audit found for " + appId + " after submitting");
        }
        AUDIT_STATUS.set(e, state.status().name());
        if (state.reason() != null) {
            AUDIT_REASON.set(e, state.reason());
        }
    }
}
