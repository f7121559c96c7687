package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.ROLLBACK_APP_VERSION;
import static io.miniflow.release.ReleaseVariables.ROLLBACK_TARGET;
import static io.miniflow.release.ReleaseVariables.USER_VERSION;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_RollBackRelease: cancels a gray release or reverts to the previous version, or to the version a person chose
 * (rollbackAppVersion, wechat-mp-rollback started from the mini program's page), and records which.
 */
@Component("rollBackRelease")
class RollBackRelease implements JavaDelegate {

    private final MiniProgramRelease release;

    RollBackRelease(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        java.util.Optional<Integer> chosen = ROLLBACK_APP_VERSION.optional(e);
        ROLLBACK_TARGET.set(e, chosen.isPresent() ? release.rollBackTo(APP_ID.from(e), chosen.get())
            : release.rollBack(APP_ID.from(e), USER_VERSION.from(e)));
    }
}
