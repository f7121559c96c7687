package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.util.Map;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.app.DeployTargetPort.DeployRequest;
import io.miniflow.app.DeployTargetPort.DeployResult;
import io.miniflow.app.DeployTargetPort.StorageTarget;
import io.miniflow.approval.ApprovalCategory;
import io.miniflow.approval.ApprovedApplications;

/**
 * Task_DeployPrevious of app-version-removal: deploys the previous published version again, only for what the
 * recorded removal application approved (a token moved past the review stops here as an incident). The deploy target
 * switches to it; repeating it changes nothing. Progress and failures go to the removed version's log as they happen;
 * a failure is retried by the engine and then waits in Cockpit, the removed version still online.
 */
@Component("deployPreviousVersion")
class DeployPreviousVersion implements JavaDelegate {

    private final AppRepository repository;
    private final DeployTargetPort target;
    private final PublishLog log;
    private final ApprovedApplications approvedApplications;
    private final DeploySources sources;

    DeployPreviousVersion(AppRepository repository, DeployTargetPort target, PublishLog log,
                          ApprovedApplications approvedApplications, DeploySources sources) {
        this.repository = repository;
        this.target = target;
        this.log = log;
        this.approvedApplications = approvedApplications;
        this.sources = sources;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long removedId = ((Number) execution.getVariable(VERSION_ID)).longValue();
        long previousId = ((Number) execution.getVariable(VersionRemovals.PREVIOUS_VERSION_ID)).longValue();
        AppVersion removed = repository.findVersionById(removedId).orElseThrow();
        AppVersion previous = repository.findVersionById(previousId).orElseThrow();
        AppEnvironment env = repository.findEnvironmentById(removed.environmentId()).orElseThrow();
        String workspace = (String) execution.getVariable(WORKSPACE);
        String appCode = (String) execution.getVariable(APP_CODE);
        boolean approved = execution.getVariable(APPROVAL_ID) instanceof Number id
            && approvedApplications.approves(id.longValue(), ApprovalCategory.REMOVAL, workspace, appCode,
                removed.version(), env.envCode());
        if (!approved) {
            throw new ProcessEngineException("Version " + removed.version() + " has no approved removal application for "
                + env.envCode() + " / 版本 " + removed.version() + " 没有已通过的下架申请");
        }
        DeployConfig config = env.deployConfig() == null ? null
            : repository.findDeployConfig(workspace, env.deployConfig()).orElse(null);
        StorageTarget storage = sources.storage(workspace, env);
        DeployRequest request = new DeployRequest(workspace, appCode, env.envCode(), previous.version(),
            previous.engineVersion(), config == null ? DeployVersion.DEFAULT_DEPLOY_PATH : config.deployPath(),
            config == null ? env.domain() : config.deployDomain(), config == null ? "/" : config.accessPath(),
            sources.manifest(Map.of("note", "back online after the removal of " + removed.version(), "publishedBy",
                String.valueOf(previous.publishedBy()), "domain", env.domain(), "apiDomain", env.apiDomain()),
                appCode, storage), storage);
        log.info(removedId, "Removal approved: deploying " + previous.version() + " again");
        try {
            DeployResult result = target.deploy(request, line -> log.info(removedId, line));
            execution.setVariable(ACCESS_URL, result.accessUrl());
            repository.setStorageLocation(previousId, result.storageUrl());
        } catch (RuntimeException e) {
            log.error(removedId, "Deploy of " + previous.version() + " failed: " + e.getMessage()
                + " - the engine retries it, then it waits in Cockpit; " + removed.version() + " stays online");
            throw e;
        }
    }
}
