package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import io.miniflow.app.DeployTargetPort.DeployRequest;
import io.miniflow.app.DeployTargetPort.DeployResult;

/**
 * Deploys the version to the environment's deploy target. Progress and failures are logged as they happen; a
 * failure is thrown so the engine retries it, and on the last attempt the version shows FAILED while the incident
 * waits for an operator (a successful retry from Cockpit publishes it after all).
 */
@Component("deployVersion")
@Profile("!sandbox-only")
class DeployVersion implements JavaDelegate {

    static final String DEFAULT_DEPLOY_PATH = "/default";

    private final AppRepository repository;
    private final DeployTargetPort target;
    private final PublishLog log;
    private final ManagementService managementService;

    DeployVersion(AppRepository repository, DeployTargetPort target, PublishLog log, ManagementService managementService) {
        this.repository = repository;
        this.target = target;
        this.log = log;
        this.managementService = managementService;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long versionId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        AppVersion version = repository.findVersionById(versionId).orElseThrow();
        AppEnvironment env = repository.findEnvironmentById(version.environmentId()).orElseThrow();
        String workspace = (String) execution.getVariable(WORKSPACE);
        DeployConfig config = env.deployConfig() == null ? null
            : repository.findDeployConfig(workspace, env.deployConfig()).orElse(null);
        DeployRequest request = new DeployRequest(workspace, (String) execution.getVariable(APP_CODE), env.envCode(),
            version.version(), version.engineVersion(),
            config == null ? DEFAULT_DEPLOY_PATH : config.deployPath(),
            config == null ? env.domain() : config.deployDomain(),
            config == null ? "/" : config.accessPath(),
            Map.of("note", version.note() == null ? "" : version.note(), "publishedBy",
                String.valueOf(execution.getVariable(PUBLISHER)), "domain", env.domain(), "apiDomain", env.apiDomain()));

        log.status(versionId, VersionStatus.PUBLISHING, null);
        log.info(versionId, "Deploying to " + request.deployPath() + (config == null ? " (no deploy config: default)" : ""));
        try {
            DeployResult result = target.deploy(request, line -> log.info(versionId, line));
            execution.setVariable(ACCESS_URL, result.accessUrl());
        } catch (RuntimeException e) {
            boolean lastAttempt = retriesLeft(execution) <= 1;
            log.error(versionId, "Deploy failed: " + e.getMessage()
                + (lastAttempt ? " - no retries left; an operator can retry it in Cockpit" : " - the engine will retry"));
            if (lastAttempt) {
                log.status(versionId, VersionStatus.FAILED, e.getMessage());
            }
            throw e;
        }
    }

    /** Retries of the job running this step, before this attempt is counted (3 when not run as a job). */
    private int retriesLeft(DelegateExecution execution) {
        Job job = managementService.createJobQuery().executionId(execution.getId())
            .activityId(execution.getCurrentActivityId()).singleResult();
        return job == null ? 3 : job.getRetries();
    }
}
