package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Runs whenever an app-publish instance ends, normally or cancelled in Cockpit: frees the environment's publish
 * slot; a cancelled publish that was not yet online is marked FAILED.
 */
@Component("publishEnded")
class PublishEnded implements ExecutionListener {

    private final AppRepository repository;
    private final Clock clock;
    private final PublishLog publishLog;

    PublishEnded(AppRepository repository, Clock clock, PublishLog publishLog) {
        this.repository = repository;
        this.clock = clock;
        this.publishLog = publishLog;
    }

    @Override
    public void notify(DelegateExecution execution) {
        Object versionVar = execution.getVariable(VERSION_ID);
        Object envVar = execution.getVariable(ENVIRONMENT_ID);
        if (versionVar == null || envVar == null) {
            return;
        }
        long versionId = ((Number) versionVar).longValue();
        repository.unlockPublish(((Number) envVar).longValue(), versionId);
        if (execution.isCanceled()) {
            repository.findVersionById(versionId)
                .filter(v -> v.status() != VersionStatus.PUBLISHED)
                .ifPresent(v -> {
                    repository.setStatus(versionId, VersionStatus.FAILED, "Publish cancelled");
                    repository.log(versionId, "WARN", "Publish cancelled", Instant.now(clock));
                    String envCode = repository.findEnvironmentById(v.environmentId()).map(AppEnvironment::envCode)
                        .orElse(null);
                    publishLog.announceFailure(new PublishLog.PublishFailure((String) execution.getVariable(WORKSPACE),
                        (String) execution.getVariable(APP_CODE), envCode, v.version(),
                        execution.getProcessInstanceId()), "Publish cancelled");
                });
        }
    }
}
