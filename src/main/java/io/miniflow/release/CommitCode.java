package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.EXT_JSON;
import static io.miniflow.release.ReleaseVariables.TEMPLATE_ID;
import static io.miniflow.release.ReleaseVariables.USER_DESC;
import static io.miniflow.release.ReleaseVariables.USER_VERSION;

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
        release.commit(APP_ID.from(e), TEMPLATE_ID.from(e), EXT_JSON.optional(e).orElse(null), USER_VERSION.from(e),
            USER_DESC.optional(e).orElse(null));
    }
}
