package io.miniflow.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_VerifyRelease: the platform must now serve the released version. */
@Component("verifyRelease")
class VerifyRelease implements JavaDelegate {

    private final MiniProgramRelease release;

    VerifyRelease(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        String version = ReleaseVariables.USER_VERSION.from(e);
        release.verify(ReleaseVariables.APP_ID.from(e), version);
        ReleaseVariables.RELEASED_VERSION.set(e, version);
    }
}
