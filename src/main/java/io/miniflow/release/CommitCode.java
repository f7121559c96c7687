package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.EXT_JSON;
import static io.miniflow.release.ReleaseVariables.USER_DESC;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_CommitCode: commits the template with this tenant's ext_json. */
@Component("commitCode")
class CommitCode implements JavaDelegate {

    private final MiniProgramRelease release;

    CommitCode(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        release.commit(ReleaseVariables.appId(e), ReleaseVariables.templateId(e), ReleaseVariables.text(e, EXT_JSON),
            ReleaseVariables.userVersion(e), ReleaseVariables.text(e, USER_DESC));
    }
}
