package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.AuditLog;

/** Makes the deployed version the environment's online version (what new tenant apps start from) and records it. */
@Component("switchOnlineVersion")
class SwitchOnlineVersion implements JavaDelegate {

    private final AppRepository repository;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Events events;

    SwitchOnlineVersion(AppRepository repository, AuditLog auditLog, Clock clock, Events events) {
        this.repository = repository;
        this.auditLog = auditLog;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long versionId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        AppVersion version = repository.findVersionById(versionId).orElseThrow();
        AppEnvironment env = repository.findEnvironmentById(version.environmentId()).orElseThrow();
        String publisher = (String) execution.getVariable(PUBLISHER);
        Instant now = Instant.now(clock);
        String previous = env.onlineVersion();
        repository.markPublished(versionId, publisher, now);
        repository.setOnlineVersion(env.id(), version.version());
        repository.log(versionId, "INFO", "Online version of " + env.envCode() + " is now " + version.version()
            + (previous == null ? "" : " (was " + previous + ")"), now);
        auditLog.record(publisher, "APP_VERSION_PUBLISHED", "app-version",
            execution.getVariable(APP_CODE) + "/" + env.envCode() + "/" + version.version(),
            (String) execution.getVariable(WORKSPACE), previous == null ? null : "previous=" + previous);
        String appCode = (String) execution.getVariable(APP_CODE);
        events.publish((String) execution.getVariable(WORKSPACE), EventType.PUBLISH_SUCCEEDED, appCode + " "
            + version.version() + " → " + env.envCode(), Events.data("appCode", appCode, "envCode", env.envCode(),
            "version", version.version(), "previousVersion", previous, "publisher", publisher, "accessUrl",
            execution.getVariable(ACCESS_URL)), "/apps/" + appCode + "/environments/" + env.envCode() + "/publishes/"
            + execution.getProcessInstanceId());
    }
}
