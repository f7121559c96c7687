package io.miniflow.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_ReleaseCode: releases the approved version to all users. */
@Component("releaseCode")
class ReleaseCode implements JavaDelegate {

    private final MiniProgramRelease release;

    ReleaseCode(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.release(ReleaseVariables.APP_ID.from(e), ReleaseVariables.USER_VERSION.from(e));
    }
}
