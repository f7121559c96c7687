package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.AUDIT_ID;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_SpeedUpAudit: asks the platform to hurry the running audit (speedupaudit) on a person's request. Runs in the
 * requester's transaction: a refusal (no speed-up left this month, not in the queue, already sped up) answers them.
 */
@Component("speedUpAudit")
class SpeedUpAudit implements JavaDelegate {

    private final MiniProgramRelease release;

    SpeedUpAudit(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.speedUpAudit(APP_ID.from(e), AUDIT_ID.from(e));
    }
}
