package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.shared.AuditLog;

/**
 * Task_SwitchBack of app-version-removal: the previous version is the environment's online version again (what new
 * tenant apps start from) and the removed one is REMOVED, both in the versions' logs and the audit log.
 */
@Component("switchBackOnline")
class SwitchBackOnline implements JavaDelegate {

    private final AppRepository repository;
    private final AuditLog auditLog;
    private final Clock clock;

    SwitchBackOnline(AppRepository repository, AuditLog auditLog, Clock clock) {
        this.repository = repository;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long removedId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        long previousId = ((Number) execution.getVariable(VersionRemovals.PREVIOUS_VERSION_ID)).longValue();
        AppVersion removed = repository.findVersionById(removedId).orElseThrow();
        AppVersion previous = repository.findVersionById(previousId).orElseThrow();
        AppEnvironment env = repository.findEnvironmentById(removed.environmentId()).orElseThrow();
        Object approvalId = execution.getVariable(APPROVAL_ID);
        Instant now = Instant.now(clock);
        repository.setOnlineVersion(env.id(), previous.version());
        repository.setStatus(removedId, VersionStatus.REMOVED, "Removed on application " + approvalId);
        repository.log(removedId, "INFO", "Removed: the online version of " + env.envCode() + " is " + previous.version()
            + " again (application " + approvalId + ")", now);
        repository.log(previousId, "INFO", "Online again in " + env.envCode() + " after the removal of "
            + removed.version(), now);
        String requester = (String) execution.getVariable(VersionRemovals.REQUESTER);
        auditLog.record(requester, "APP_VERSION_REMOVED", "app-version",
            execution.getVariable(APP_CODE) + "/" + env.envCode() + "/" + removed.version(),
            (String) execution.getVariable(WORKSPACE), "online=" + previous.version() + " approval " + approvalId);
    }
}
