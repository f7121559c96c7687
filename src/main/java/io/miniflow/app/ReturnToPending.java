package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** A publish that was not approved (rejected, withdrawn, expired): the version waits again, with the reason shown. */
@Component("returnToPending")
class ReturnToPending implements JavaDelegate {

    private final AppRepository repository;
    private final Clock clock;

    ReturnToPending(AppRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long versionId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        String outcome = (String) execution.getVariable(APPROVAL_OUTCOME);
        Object reason = execution.getVariable(APPROVAL_REASON);
        String text = "Not published: approval " + outcome + (reason == null ? "" : " - " + reason);
        repository.setStatus(versionId, VersionStatus.PENDING_PUBLISH, text);
        repository.log(versionId, "WARN", text, Instant.now(clock));
    }
}
