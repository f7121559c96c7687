package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Task_KeepOnline of app-version-removal: a removal not approved leaves the version online, with the reason logged. */
@Component("keepVersionOnline")
class KeepVersionOnline implements JavaDelegate {

    private final AppRepository repository;
    private final Clock clock;

    KeepVersionOnline(AppRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long versionId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        Object reason = execution.getVariable(APPROVAL_REASON);
        repository.log(versionId, "WARN", "Not removed: approval " + execution.getVariable(APPROVAL_OUTCOME)
            + (reason == null ? "" : " - " + reason), Instant.now(clock));
    }
}
