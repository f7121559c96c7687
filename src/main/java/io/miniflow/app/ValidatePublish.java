package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

import io.miniflow.app.PublishGuard.Target;
import io.miniflow.shared.MiniflowException;

/**
 * First step of app-publish, run in the starter's transaction: checks the request (PublishGuard), creates the
 * version record (or reuses a pending or failed one) and takes the environment's publish slot. Any refusal fails
 * the start itself, so a bad request leaves no process and no record behind. The publisher is the authenticated
 * starter, checked for a publishing role in the app's workspace.
 */
@Component("validatePublish")
class ValidatePublish implements JavaDelegate {

    private final PublishGuard guard;
    private final AppRepository repository;
    private final Clock clock;

    ValidatePublish(PublishGuard guard, AppRepository repository, Clock clock) {
        this.guard = guard;
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String appCode = (String) execution.getVariable(APP_CODE);
        String envCode = (String) execution.getVariable(ENV_CODE);
        String version = trim((String) execution.getVariable(VERSION));
        // Who publishes is who started the process (the API's user, Tasklist's initiator), never a variable's claim.
        Authentication starter = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String publisher = starter == null ? null : starter.getUserId();
        String note = trim((String) execution.getVariable(NOTE));
        Target target = guard.check(appCode, envCode, version, publisher);
        Object workspace = execution.getVariable(WORKSPACE);
        if (workspace != null && !target.app().workspace().equals(workspace)) {
            throw MiniflowException.badRequest("app.workspaceMismatch", appCode, workspace);
        }
        Instant now = Instant.now(clock);
        String engineVersion = trim((String) execution.getVariable(ENGINE_VERSION));
        if (engineVersion == null) {
            engineVersion = target.app().engineVersion();
        }
        long versionId = target.existingVersion() != null
            ? target.existingVersion().id()
            : repository.insertVersion(target.environment().id(), version, engineVersion, note, "workspace:"
                + target.app().workspace(), publisher, now);
        if (!repository.lockForPublish(target.environment().id(), versionId)) {
            throw MiniflowException.conflict("app.publish.running", appCode, envCode, "?");
        }
        repository.startPublish(versionId, note, execution.getProcessInstanceId());
        repository.log(versionId, "INFO", "Publish of " + version + " to " + envCode + " requested by " + publisher, now);

        AppEnvironment env = target.environment();
        execution.setVariable(PUBLISHER, publisher);
        execution.setVariable(WORKSPACE, target.app().workspace());
        execution.setVariable(VERSION, version);
        execution.setVariable(ENGINE_VERSION, engineVersion);
        execution.setVariable(VERSION_ID, versionId);
        execution.setVariable(ENVIRONMENT_ID, env.id());
        execution.setVariable(REQUIRES_APPROVAL, env.requiresApproval());
        execution.setVariable(REQUIRED_APPROVALS, env.requiredApprovals());
        execution.setVariable(APPROVAL_TITLE, "Publish " + appCode + " " + version + " to " + env.name());
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
