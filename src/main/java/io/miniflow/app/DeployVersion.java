package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Component;

import io.miniflow.app.DeployTargetPort.DeployRequest;
import io.miniflow.app.DeployTargetPort.DeployResult;
import io.miniflow.app.DeployTargetPort.StorageTarget;
import io.miniflow.approval.ApprovalCategory;
import io.miniflow.approval.ApprovedApplications;

/**
 * Deploys the version to the environment's deploy target. Progress and failures are logged as they happen; a
 * failure is thrown so the engine retries it, and on the last attempt the version shows FAILED while the incident
 * waits for an operator (a successful retry from Cockpit publishes it after all).
 */
@Component("deployVersion")
class DeployVersion implements JavaDelegate {

    static final String DEFAULT_DEPLOY_PATH = "/default";

    private final AppRepository repository;
    private final DeployTargetPort target;
    private final PublishLog log;
    private final ManagementService managementService;
    private final ApprovedApplications approvedApplications;
    private final DeploySources sources;

    DeployVersion(AppRepository repository, DeployTargetPort target, PublishLog log, ManagementService managementService,
                  ApprovedApplications approvedApplications, DeploySources sources) {
        this.repository = repository;
        this.sources = sources;
        this.approvedApplications = approvedApplications;
        this.target = target;
        this.log = log;
        this.managementService = managementService;
    }

    /**
     * An environment that needs approval deploys only what an approved application names: a token moved past the
     * approval (a modification in Cockpit) stops here as an incident instead of going online.
     */
    private void requireApproval(DelegateExecution execution, AppEnvironment env, AppVersion version, String workspace) {
        if (!env.requiresApproval()) {
            return;
        }
        boolean approved = execution.getVariable(APPROVAL_ID) instanceof Number id
            && approvedApplications.approves(id.longValue(), ApprovalCategory.PUBLISH, workspace,
                (String) execution.getVariable(APP_CODE), version.version(), env.envCode());
        if (!approved) {
            throw new ProcessEngineException("Version " + version.version() + " has no approved application for "
                + env.envCode() + " / 版本 " + version.version() + " 没有已通过的发布申请");
        }
    }

    @Override
    public void execute(DelegateExecution execution) {
        long versionId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        AppVersion version = repository.findVersionById(versionId).orElseThrow();
        AppEnvironment env = repository.findEnvironmentById(version.environmentId()).orElseThrow();
        String workspace = (String) execution.getVariable(WORKSPACE);
        requireApproval(execution, env, version, workspace);
        DeployConfig config = env.deployConfig() == null ? null
            : repository.findDeployConfig(workspace, env.deployConfig()).orElse(null);
        StorageTarget storage = sources.storage(workspace, env);
        DeployRequest request = new DeployRequest(workspace, (String) execution.getVariable(APP_CODE), env.envCode(),
            version.version(), version.engineVersion(),
            config == null ? DEFAULT_DEPLOY_PATH : config.deployPath(),
            config == null ? env.domain() : config.deployDomain(),
            config == null ? "/" : config.accessPath(),
            sources.manifest(Map.of("note", version.note() == null ? "" : version.note(), "publishedBy",
                String.valueOf(execution.getVariable(PUBLISHER)), "domain", env.domain(), "apiDomain", env.apiDomain()),
                (String) execution.getVariable(APP_CODE), storage), storage);

        log.status(versionId, VersionStatus.PUBLISHING, null);
        log.info(versionId, "Deploying to " + request.deployPath() + (config == null ? " (no deploy config: default)" : ""));
        try {
            DeployResult result = target.deploy(request, line -> log.info(versionId, line));
            execution.setVariable(ACCESS_URL, result.accessUrl());
            repository.setStorageLocation(versionId, result.storageUrl());
        } catch (RuntimeException e) {
            boolean lastAttempt = retriesLeft(execution) <= 1;
            log.error(versionId, "Deploy failed: " + e.getMessage()
                + (lastAttempt ? " - no retries left; an operator can retry it in Cockpit" : " - the engine will retry"));
            if (lastAttempt) {
                log.failed(versionId, e.getMessage(), new PublishLog.PublishFailure(workspace, (String) execution
                    .getVariable(APP_CODE), env.envCode(), version.version(), execution.getProcessInstanceId()));
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
