package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.USER_VERSION;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_UndoAudit: withdraws the running audit (undocodeaudit) on a person's request, after the release stopped
 * waiting for it. Runs in the requester's transaction: a refusal of the platform rolls the request back, so the
 * release still waits for its audit.
 */
@Component("undoAudit")
class UndoAudit implements JavaDelegate {

    private final MiniProgramRelease release;

    UndoAudit(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.undoAudit(APP_ID.from(e), USER_VERSION.from(e));
    }
}
