package io.miniflow.app;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.app.AppRequests.NewApp;
import io.miniflow.app.AppRequests.NewComponent;
import io.miniflow.app.AppRequests.NewDeployConfig;
import io.miniflow.app.AppRequests.NewEnvironment;
import io.miniflow.app.AppRequests.NewPackage;
import io.miniflow.app.AppRequests.NewStorageConfig;
import io.miniflow.app.AppRequests.PublishRequest;
import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.EngineUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * Apps, their business environments, configs and versions, and the start of publishes. Members of a workspace see
 * its apps; admins and developers change them; admins, developers and mini-program admins publish.
 */
@Service
public class AppService {

    static final Set<String> EDITOR_ROLES = Set.of(Roles.WORKSPACE_ADMIN, Roles.WORKSPACE_DEVELOPER);

    private final AppRepository repository;
    private final WorkspaceAccess access;
    private final PublishGuard guard;
    private final RuntimeService runtimeService;
    private final HistoryService historyService;
    private final EngineUser engineUser;
    private final AuditLog auditLog;
    private final Clock clock;

    AppService(AppRepository repository, WorkspaceAccess access, PublishGuard guard,
               RuntimeService runtimeService, HistoryService historyService, EngineUser engineUser, AuditLog auditLog,
               Clock clock) {
        this.repository = repository;
        this.access = access;
        this.guard = guard;
        this.runtimeService = runtimeService;
        this.historyService = historyService;
        this.engineUser = engineUser;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    // --- apps

    public List<App> visibleApps(CurrentUser user, String text) {
        return repository.findApps(access.visibleWorkspaces(user), text);
    }

    @Transactional
    public App createApp(CurrentUser user, NewApp request) {
        requireEditor(user, request.workspace());
        if (repository.findApp(request.appCode()).isPresent()) {
            throw MiniflowException.conflict("app.exists", request.appCode());
        }
        List<Long> packageIds = new ArrayList<>();
        for (String ref : request.packages() == null ? List.<String>of() : request.packages()) {
            String[] parts = ref.split("@", 2);
            packageIds.add(repository.findPackage(request.workspace(), parts[0], parts[1])
                .orElseThrow(() -> MiniflowException.badRequest("app.package.unknown", ref)).id());
        }
        long id = insertOrConflict(() -> repository.insertApp(request.workspace(), request.appCode(),
            request.name().trim(), blankToNull(request.description()), request.engineVersion(), user.username(), now()),
            "app.exists", request.appCode());
        packageIds.forEach(p -> repository.linkPackage(id, p));
        auditLog.record(user.username(), "APP_CREATED", "app", request.appCode(), request.workspace(), request.name());
        return repository.findApp(request.appCode()).orElseThrow();
    }

    public AppView app(CurrentUser user, String appCode) {
        App app = requireApp(appCode);
        access.requireMember(user, app.workspace());
        return new AppView(app, repository.environmentsOf(app.id()), repository.packagesOf(app.id()),
            canEdit(user, app.workspace()), canPublish(user, app.workspace()));
    }

    // --- environments

    @Transactional
    public AppEnvironment createEnvironment(CurrentUser user, String appCode, NewEnvironment request) {
        App app = requireApp(appCode);
        requireEditor(user, app.workspace());
        if (repository.findEnvironment(app.id(), request.envCode()).isPresent()) {
            throw MiniflowException.conflict("app.environment.exists", request.envCode(), appCode);
        }
        Long deployId = blankToNull(request.deployConfig()) == null ? null
            : repository.findDeployConfig(app.workspace(), request.deployConfig().trim())
                .orElseThrow(() -> MiniflowException.badRequest("app.deployConfig.unknown", request.deployConfig())).id();
        Long storageId = blankToNull(request.storageConfig()) == null ? null
            : repository.findStorageConfig(app.workspace(), request.storageConfig().trim())
                .orElseThrow(() -> MiniflowException.badRequest("app.storageConfig.unknown", request.storageConfig())).id();
        int approvals = request.requiredApprovals() == null ? 1 : request.requiredApprovals();
        insertOrConflict(() -> repository.insertEnvironment(app.id(), request.envCode(), request.name().trim(),
                request.domain(), request.apiDomain(), deployId, storageId, request.requiresApproval(), approvals, now()),
            "app.environment.exists", request.envCode(), appCode);
        auditLog.record(user.username(), "APP_ENVIRONMENT_CREATED", "app-environment",
            appCode + "/" + request.envCode(), app.workspace(),
            request.requiresApproval() ? "approvals=" + approvals : "no approval");
        return repository.findEnvironment(app.id(), request.envCode()).orElseThrow();
    }

    public EnvironmentView environment(CurrentUser user, String appCode, String envCode) {
        App app = requireApp(appCode);
        access.requireMember(user, app.workspace());
        AppEnvironment env = requireEnvironment(app, envCode);
        return new EnvironmentView(app, env, repository.versionsOf(env.id()), canEdit(user, app.workspace()),
            canPublish(user, app.workspace()));
    }

    @Transactional
    public void deleteVersion(CurrentUser user, String appCode, String envCode, String version) {
        App app = requireApp(appCode);
        requireEditor(user, app.workspace());
        AppEnvironment env = requireEnvironment(app, envCode);
        AppVersion v = repository.findVersion(env.id(), version)
            .orElseThrow(() -> MiniflowException.notFound("app.version.notFound", version, envCode));
        if (!v.isDeletable() || Long.valueOf(v.id()).equals(env.publishingVersionId()) || !repository.deleteVersion(v.id())) {
            throw MiniflowException.conflict("app.version.notDeletable", version);
        }
        auditLog.record(user.username(), "APP_VERSION_DELETED", "app-version", appCode + "/" + envCode + "/" + version,
            app.workspace(), null);
    }

    // --- publishing

    /** Starts app-publish; refusals (bad version, already published, another publish running) change nothing. */
    public PublishStarted publish(CurrentUser user, String appCode, String envCode, PublishRequest request) {
        PublishGuard.Target target = guard.check(appCode, envCode, request.version(), user.username());
        access.requireMember(user, target.app().workspace());
        Map<String, Object> vars = new HashMap<>();
        vars.put(PublishVariables.WORKSPACE, target.app().workspace());
        vars.put(PublishVariables.APP_CODE, appCode);
        vars.put(PublishVariables.ENV_CODE, envCode);
        vars.put(PublishVariables.VERSION, request.version());
        vars.put(PublishVariables.NOTE, blankToNull(request.note()));
        vars.put(PublishVariables.PUBLISHER, user.username());
        String processInstanceId = engineUser.call(user, () -> runtimeService
            .startProcessInstanceByKey(PublishVariables.PROCESS_KEY, appCode + "/" + envCode + "/" + request.version(),
                vars).getId());
        AppVersion version = repository.findVersionByProcess(processInstanceId).orElseThrow();
        return new PublishStarted(processInstanceId, version.id(), statusUrl(appCode, envCode, processInstanceId));
    }

    public PublishStatus publishStatus(CurrentUser user, String appCode, String envCode, String processInstanceId,
                                       long afterLogId) {
        App app = requireApp(appCode);
        access.requireMember(user, app.workspace());
        AppEnvironment env = requireEnvironment(app, envCode);
        AppVersion version = repository.findVersionByProcess(processInstanceId)
            .filter(v -> v.environmentId() == env.id())
            .orElseThrow(() -> MiniflowException.notFound("app.publish.notFound", processInstanceId));
        boolean running = runtimeService.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0;
        List<String> activities = List.of();
        if (running) {
            try {
                activities = runtimeService.getActiveActivityIds(processInstanceId);
            } catch (org.camunda.bpm.engine.exception.NullValueException endedMeanwhile) {
                running = false;
            }
        }
        List<String> incidents = runtimeService.createIncidentQuery().processInstanceId(processInstanceId).list()
            .stream().map(Incident::getIncidentMessage).toList();
        HistoricProcessInstance review = historyService.createHistoricProcessInstanceQuery()
            .superProcessInstanceId(processInstanceId).singleResult();
        return new PublishStatus(processInstanceId, version.version(), version.status(), version.failureReason(),
            running, activities, incidents, review == null ? null : review.getId(),
            repository.logOf(version.id(), afterLogId), env.onlineVersion(), version.storageLocation());
    }

    static String statusUrl(String appCode, String envCode, String processInstanceId) {
        return "/api/apps/" + appCode + "/environments/" + envCode + "/publishes/" + processInstanceId;
    }

    // --- configs and packages

    @Transactional
    public DeployConfig createDeployConfig(CurrentUser user, NewDeployConfig r) {
        requireEditor(user, r.workspace());
        insertOrConflict(() -> repository.insertDeployConfig(r.workspace(), r.name(), r.cloudVendor().trim(),
            r.deployPath(), r.deployDomain(), r.accessPath(), blankToNull(r.note()), now()), "app.config.exists", r.name());
        auditLog.record(user.username(), "DEPLOY_CONFIG_CREATED", "deploy-config", r.name(), r.workspace(), r.deployPath());
        return repository.findDeployConfig(r.workspace(), r.name()).orElseThrow();
    }

    @Transactional
    public StorageConfig createStorageConfig(CurrentUser user, NewStorageConfig r) {
        requireEditor(user, r.workspace());
        insertOrConflict(() -> repository.insertStorageConfig(r.workspace(), r.name(), r.vendor().trim(),
            r.bucket().trim(), blankToNull(r.region()), r.baseUrl(), blankToNull(r.note()), now()),
            "app.config.exists", r.name());
        auditLog.record(user.username(), "STORAGE_CONFIG_CREATED", "storage-config", r.name(), r.workspace(), r.bucket());
        return repository.findStorageConfig(r.workspace(), r.name()).orElseThrow();
    }

    @Transactional
    public ComponentPackage createPackage(CurrentUser user, NewPackage r) {
        requireEditor(user, r.workspace());
        long id = insertOrConflict(() -> repository.insertPackage(r.workspace(), r.name(), r.version(),
            blankToNull(r.description()), blankToNull(r.repositoryUrl()), now()), "app.package.exists",
            r.name() + "@" + r.version());
        for (NewComponent c : r.components() == null ? List.<NewComponent>of() : r.components()) {
            repository.insertComponent(id, c.name().trim(), blankToNull(c.detail()));
        }
        auditLog.record(user.username(), "COMPONENT_PACKAGE_CREATED", "component-package", r.name() + "@" + r.version(),
            r.workspace(), null);
        return repository.findPackage(r.workspace(), r.name(), r.version()).orElseThrow();
    }

    public Configs configs(CurrentUser user, String workspace) {
        access.requireMember(user, workspace);
        return new Configs(repository.deployConfigs(workspace), repository.storageConfigs(workspace),
            repository.packages(workspace), canEdit(user, workspace));
    }

    // --- helpers

    boolean canEdit(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.hasRole(user.username(), workspace, EDITOR_ROLES);
    }

    boolean canPublish(CurrentUser user, String workspace) {
        return access.hasRole(user.username(), workspace, PublishGuard.PUBLISHER_ROLES);
    }

    private void requireEditor(CurrentUser user, String workspace) {
        access.requireMember(user, workspace);
        if (!canEdit(user, workspace)) {
            throw MiniflowException.forbidden("app.editorsOnly", workspace);
        }
    }

    private App requireApp(String appCode) {
        return repository.findApp(appCode).orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
    }

    private AppEnvironment requireEnvironment(App app, String envCode) {
        return repository.findEnvironment(app.id(), envCode)
            .orElseThrow(() -> MiniflowException.notFound("app.environment.notFound", envCode, app.appCode()));
    }

    private static long insertOrConflict(java.util.function.LongSupplier insert, String key, Object... args) {
        try {
            return insert.getAsLong();
        } catch (DuplicateKeyException e) {
            throw MiniflowException.conflict(key, args);
        }
    }

    private Instant now() {
        return Instant.now(clock);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public record AppView(App app, List<AppEnvironment> environments, List<ComponentPackage> packages, boolean canEdit,
                          boolean canPublish) {
    }

    public record EnvironmentView(App app, AppEnvironment environment, List<AppVersion> versions, boolean canEdit,
                                  boolean canPublish) {
    }

    public record PublishStarted(String processInstanceId, long versionId, String statusUrl) {
    }

    public record PublishStatus(String processInstanceId, String version, VersionStatus status, String reason,
                                boolean running, List<String> currentActivities, List<String> incidents,
                                String reviewProcessInstanceId, List<PublishLogLine> log, String onlineVersion,
                                String storageLocation) {
    }

    public record Configs(List<DeployConfig> deployConfigs, List<StorageConfig> storageConfigs,
                          List<ComponentPackage> packages, boolean canEdit) {
    }
}
