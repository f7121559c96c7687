package io.miniflow.app;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.app.AppEditRequests.AppEngine;
import io.miniflow.app.AppEditRequests.AppName;
import io.miniflow.app.AppEditRequests.AppPackages;
import io.miniflow.app.AppEditRequests.EditComponent;
import io.miniflow.app.AppEditRequests.EditDeployConfig;
import io.miniflow.app.AppEditRequests.EditEnvironment;
import io.miniflow.app.AppEditRequests.EditPackage;
import io.miniflow.app.AppEditRequests.EditStorageConfig;
import io.miniflow.app.AppEditRequests.GroupRequest;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * Changes and deletes of what the PaaS console creates (seed 000 §1.2, the app actions 更改引擎 / 更改组件 /
 * 更改业务环境 / 更改名称): every request is checked whole before anything is written, in one transaction, and each
 * change is written to the audit log. Deletes are refused (409, with the reason) while something depends on the
 * object: a published version, an environment using a config, an app referencing a package, a component in a group.
 */
@Service
public class AppChanges {

    private final AppRepository apps;
    private final AppChangesRepository changes;
    private final AppService appService;
    private final WorkspaceAccess access;
    private final AuditLog auditLog;
    private final Clock clock;
    private final AppKeyStore keys;

    AppChanges(AppRepository apps, AppChangesRepository changes, AppService appService, WorkspaceAccess access,
               AuditLog auditLog, Clock clock, AppKeyStore keys) {
        this.apps = apps;
        this.changes = changes;
        this.keys = keys;
        this.appService = appService;
        this.access = access;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    // --- apps

    @Transactional
    public App rename(CurrentUser user, String appCode, AppName r) {
        App app = requireEditableApp(user, appCode);
        String description = blankToNull(r.description());
        changes.renameApp(app.id(), r.name().trim(), description);
        auditLog.record(user.username(), "APP_RENAMED", "app", appCode, app.workspace(),
            app.name() + " -> " + r.name().trim());
        return apps.findApp(appCode).orElseThrow();
    }

    /** A lower engine than now may break what was built for the newer one: it needs {@code confirm}. */
    @Transactional
    public App changeEngine(CurrentUser user, String appCode, AppEngine r) {
        App app = requireEditableApp(user, appCode);
        if (compare(r.engineVersion(), app.engineVersion()) < 0 && !r.confirmed()) {
            throw MiniflowException.conflict("app.engine.confirmDowngrade", app.engineVersion(), r.engineVersion());
        }
        changes.setEngine(app.id(), r.engineVersion());
        auditLog.record(user.username(), "APP_ENGINE_CHANGED", "app", appCode, app.workspace(),
            app.engineVersion() + " -> " + r.engineVersion());
        return apps.findApp(appCode).orElseThrow();
    }

    /**
     * Sets the app's packages as a whole; each must be registered in its workspace. Dropping a package stops its
     * components from working in the designer and the next deploys: that needs {@code confirm}.
     */
    @Transactional
    public List<ComponentPackage> changePackages(CurrentUser user, String appCode, AppPackages r) {
        App app = requireEditableApp(user, appCode);
        Set<String> wanted = new LinkedHashSet<>(r.packages());
        List<Long> ids = new ArrayList<>();
        for (String ref : wanted) {
            String[] parts = ref.split("@", 2);
            ids.add(apps.findPackage(app.workspace(), parts[0], parts[1])
                .orElseThrow(() -> MiniflowException.badRequest("app.package.unknown", ref)).id());
        }
        List<String> before = apps.packagesOf(app.id()).stream().map(p -> p.name() + "@" + p.version()).toList();
        List<String> dropped = before.stream().filter(p -> !wanted.contains(p)).toList();
        if (!dropped.isEmpty() && !r.confirmed()) {
            throw MiniflowException.conflict("app.packages.confirmRemoval", String.join(", ", dropped));
        }
        changes.replacePackages(app.id(), ids);
        auditLog.record(user.username(), "APP_PACKAGES_CHANGED", "app", appCode, app.workspace(),
            String.join(", ", before) + " -> " + String.join(", ", wanted));
        return apps.packagesOf(app.id());
    }

    /** Deletes an app whose environments never had a version published (409 naming them otherwise). */
    @Transactional
    public void deleteApp(CurrentUser user, String appCode) {
        App app = requireEditableApp(user, appCode);
        List<String> published = changes.publishedIn(app.id(), null);
        if (!published.isEmpty()) {
            throw MiniflowException.conflict("app.delete.published", appCode, String.join(", ", published));
        }
        // Its keys go with it (an Accessing or Upload Key of a deleted app must not work, nor stay readable).
        keys.deleteOfApp(app.id());
        changes.deleteAppPrivacyGuide(appCode);
        changes.deleteApp(app.id());
        auditLog.record(user.username(), "APP_DELETED", "app", appCode, app.workspace(), app.name());
    }

    // --- environments

    @Transactional
    public AppEnvironment updateEnvironment(CurrentUser user, String appCode, String envCode, EditEnvironment r) {
        App app = requireEditableApp(user, appCode);
        AppEnvironment env = requireEnvironment(app, envCode);
        if (env.isPublishing()) {
            throw MiniflowException.conflict("app.environment.publishing", envCode);
        }
        Long deployId = blankToNull(r.deployConfig()) == null ? null
            : apps.findDeployConfig(app.workspace(), r.deployConfig().trim())
                .orElseThrow(() -> MiniflowException.badRequest("app.deployConfig.unknown", r.deployConfig())).id();
        Long storageId = blankToNull(r.storageConfig()) == null ? null
            : apps.findStorageConfig(app.workspace(), r.storageConfig().trim())
                .orElseThrow(() -> MiniflowException.badRequest("app.storageConfig.unknown", r.storageConfig())).id();
        int approvals = r.requiredApprovals() == null ? 1 : r.requiredApprovals();
        changes.updateEnvironment(env.id(), r.name().trim(), r.domain(), r.apiDomain(), deployId, storageId,
            r.requiresApproval(), approvals);
        AppEnvironment after = requireEnvironment(app, envCode);
        auditLog.record(user.username(), "APP_ENVIRONMENT_CHANGED", "app-environment", appCode + "/" + envCode,
            app.workspace(), describe(env) + " -> " + describe(after));
        return after;
    }

    /** Deletes an environment where nothing was ever published (409 naming what was otherwise). */
    @Transactional
    public void deleteEnvironment(CurrentUser user, String appCode, String envCode) {
        App app = requireEditableApp(user, appCode);
        AppEnvironment env = requireEnvironment(app, envCode);
        List<String> published = changes.publishedIn(app.id(), env.id());
        if (!published.isEmpty()) {
            throw MiniflowException.conflict("app.environment.published", envCode, String.join(", ", published));
        }
        changes.deleteEnvironment(env.id());
        auditLog.record(user.username(), "APP_ENVIRONMENT_DELETED", "app-environment", appCode + "/" + envCode,
            app.workspace(), env.name());
    }

    // --- deploy and storage configs

    public PageResult<DeployConfig> deployConfigs(CurrentUser user, String workspace, String text, PageRequest page) {
        access.requireMember(user, workspace);
        return changes.deployConfigs(workspace, text, page);
    }

    public DeployConfig deployConfig(CurrentUser user, String workspace, String name) {
        access.requireMember(user, workspace);
        return requireDeployConfig(workspace, name);
    }

    @Transactional
    public DeployConfig updateDeployConfig(CurrentUser user, String workspace, String name, EditDeployConfig r) {
        requireEditor(user, workspace);
        DeployConfig c = requireDeployConfig(workspace, name);
        orConflict(() -> changes.updateDeployConfig(c.id(), r.name(), r.cloudVendor().trim(), r.deployPath(),
            r.deployDomain(), r.accessPath(), blankToNull(r.note())), "app.config.exists", r.name());
        auditLog.record(user.username(), "DEPLOY_CONFIG_CHANGED", "deploy-config", r.name(), workspace,
            c.name() + " " + c.deployPath() + " " + c.deployDomain() + " -> " + r.name() + " " + r.deployPath() + " "
                + r.deployDomain());
        return requireDeployConfig(workspace, r.name());
    }

    @Transactional
    public void deleteDeployConfig(CurrentUser user, String workspace, String name) {
        requireEditor(user, workspace);
        DeployConfig c = requireDeployConfig(workspace, name);
        List<String> users = changes.environmentsUsing("deploy_config_id", c.id());
        if (!users.isEmpty()) {
            throw MiniflowException.conflict("app.config.inUse", name, String.join(", ", users));
        }
        changes.deleteDeployConfig(c.id());
        auditLog.record(user.username(), "DEPLOY_CONFIG_DELETED", "deploy-config", name, workspace, c.deployPath());
    }

    public PageResult<StorageConfig> storageConfigs(CurrentUser user, String workspace, String text, PageRequest page) {
        access.requireMember(user, workspace);
        return changes.storageConfigs(workspace, text, page);
    }

    public StorageConfig storageConfig(CurrentUser user, String workspace, String name) {
        access.requireMember(user, workspace);
        return requireStorageConfig(workspace, name);
    }

    @Transactional
    public StorageConfig updateStorageConfig(CurrentUser user, String workspace, String name, EditStorageConfig r) {
        requireEditor(user, workspace);
        StorageConfig c = requireStorageConfig(workspace, name);
        orConflict(() -> changes.updateStorageConfig(c.id(), r.name(), r.vendor().trim(), r.bucket(),
            blankToNull(r.region()), r.baseUrl(), blankToNull(r.note())), "app.config.exists", r.name());
        auditLog.record(user.username(), "STORAGE_CONFIG_CHANGED", "storage-config", r.name(), workspace,
            c.name() + " " + c.bucket() + " " + c.baseUrl() + " -> " + r.name() + " " + r.bucket() + " " + r.baseUrl());
        return requireStorageConfig(workspace, r.name());
    }

    @Transactional
    public void deleteStorageConfig(CurrentUser user, String workspace, String name) {
        requireEditor(user, workspace);
        StorageConfig c = requireStorageConfig(workspace, name);
        List<String> users = changes.environmentsUsing("storage_config_id", c.id());
        if (!users.isEmpty()) {
            throw MiniflowException.conflict("app.config.inUse", name, String.join(", ", users));
        }
        changes.deleteStorageConfig(c.id());
        auditLog.record(user.username(), "STORAGE_CONFIG_DELETED", "storage-config", name, workspace, c.bucket());
    }

    // --- packages and components

    public PageResult<ComponentPackage> packages(CurrentUser user, String workspace, String text, PageRequest page) {
        access.requireMember(user, workspace);
        PageResult<Long> ids = changes.packageIds(workspace, text, page);
        return new PageResult<>(ids.items().stream().map(id -> apps.findPackageById(id).orElseThrow()).toList(),
            ids.request(), ids.total());
    }

    public ComponentPackage componentPackage(CurrentUser user, String workspace, String name, String version) {
        access.requireMember(user, workspace);
        return requirePackage(workspace, name, version);
    }

    public List<String> appsUsing(CurrentUser user, ComponentPackage p) {
        access.requireMember(user, p.workspace());
        return changes.appsUsingPackage(p.id());
    }

    @Transactional
    public ComponentPackage updatePackage(CurrentUser user, String workspace, String name, String version,
                                          EditPackage r) {
        requireEditor(user, workspace);
        ComponentPackage p = requirePackage(workspace, name, version);
        changes.updatePackage(p.id(), r.repositoryUrl().trim(), blankToNull(r.description()));
        auditLog.record(user.username(), "COMPONENT_PACKAGE_CHANGED", "component-package", name + "@" + version,
            workspace, p.repositoryUrl() + " -> " + r.repositoryUrl().trim());
        return requirePackage(workspace, name, version);
    }

    @Transactional
    public void deletePackage(CurrentUser user, String workspace, String name, String version) {
        requireEditor(user, workspace);
        ComponentPackage p = requirePackage(workspace, name, version);
        List<String> users = changes.appsUsingPackage(p.id());
        if (!users.isEmpty()) {
            throw MiniflowException.conflict("app.package.inUse", name + "@" + version, String.join(", ", users));
        }
        changes.deletePackage(p.id());
        auditLog.record(user.username(), "COMPONENT_PACKAGE_DELETED", "component-package", name + "@" + version,
            workspace, p.repositoryUrl());
    }

    @Transactional
    public ComponentPackage.Component updateComponent(CurrentUser user, String workspace, String name,
                                                      String version, String component, EditComponent r) {
        requireEditor(user, workspace);
        ComponentPackage p = requirePackage(workspace, name, version);
        ComponentPackage.Component c = findComponent(p, component)
            .orElseThrow(() -> MiniflowException.notFound("app.component.notFound", component, name + "@" + version));
        if (!c.name().equals(r.name()) && findComponent(p, r.name()).isPresent()) {
            throw MiniflowException.conflict("app.component.exists", r.name(), name + "@" + version);
        }
        Long groupId = blankToNull(r.group()) == null ? null : changes.findGroup(workspace, r.group().trim())
            .orElseThrow(() -> MiniflowException.badRequest("app.group.unknown", r.group())).id();
        changes.updateComponent(c.id(), r.name(), blankToNull(r.title()), blankToNull(r.icon()),
            blankToNull(r.description()), groupId);
        auditLog.record(user.username(), "COMPONENT_CHANGED", "component", name + "@" + version + "/" + r.name(),
            workspace, c.name() + (c.group() == null ? "" : " [" + c.group() + "]") + " -> " + r.name()
                + (groupId == null ? "" : " [" + r.group().trim() + "]"));
        return findComponent(requirePackage(workspace, name, version), r.name()).orElseThrow();
    }

    // --- component groups

    public PageResult<ComponentGroup> groups(CurrentUser user, String workspace, String text, PageRequest page) {
        access.requireMember(user, workspace);
        return changes.groups(workspace, text, page);
    }

    public ComponentGroup group(CurrentUser user, String workspace, String name) {
        access.requireMember(user, workspace);
        return requireGroup(workspace, name);
    }

    @Transactional
    public ComponentGroup createGroup(CurrentUser user, String workspace, GroupRequest r) {
        requireEditor(user, workspace);
        String name = r.name().trim();
        if (changes.findGroup(workspace, name).isPresent()) {
            throw MiniflowException.conflict("app.group.exists", name);
        }
        int order = r.sortOrder() == null ? changes.nextGroupOrder(workspace) : r.sortOrder();
        orConflict(() -> changes.insertGroup(workspace, name, order, Instant.now(clock)), "app.group.exists", name);
        auditLog.record(user.username(), "COMPONENT_GROUP_CREATED", "component-group", name, workspace,
            "order=" + order);
        return requireGroup(workspace, name);
    }

    /** Renames and/or moves a group; {@code sortOrder} left out keeps its place. */
    @Transactional
    public ComponentGroup updateGroup(CurrentUser user, String workspace, String name, GroupRequest r) {
        requireEditor(user, workspace);
        ComponentGroup g = requireGroup(workspace, name);
        String newName = r.name().trim();
        if (!newName.equals(g.name()) && changes.findGroup(workspace, newName).isPresent()) {
            throw MiniflowException.conflict("app.group.exists", newName);
        }
        int order = r.sortOrder() == null ? g.sortOrder() : r.sortOrder();
        orConflict(() -> changes.updateGroup(g.id(), newName, order), "app.group.exists", newName);
        auditLog.record(user.username(), "COMPONENT_GROUP_CHANGED", "component-group", newName, workspace,
            g.name() + " #" + g.sortOrder() + " -> " + newName + " #" + order);
        return requireGroup(workspace, newName);
    }

    @Transactional
    public void deleteGroup(CurrentUser user, String workspace, String name) {
        requireEditor(user, workspace);
        ComponentGroup g = requireGroup(workspace, name);
        if (g.components() > 0 || !changes.deleteEmptyGroup(g.id())) {
            throw MiniflowException.conflict("app.group.notEmpty", name, g.components());
        }
        auditLog.record(user.username(), "COMPONENT_GROUP_DELETED", "component-group", name, workspace, null);
    }

    // --- helpers

    public boolean canEdit(CurrentUser user, String workspace) {
        return appService.canEdit(user, workspace);
    }

    private App requireEditableApp(CurrentUser user, String appCode) {
        App app = apps.findApp(appCode).orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
        requireEditor(user, app.workspace());
        return app;
    }

    private void requireEditor(CurrentUser user, String workspace) {
        access.requireMember(user, workspace);
        if (!appService.canEdit(user, workspace)) {
            throw MiniflowException.forbidden("app.editorsOnly", workspace);
        }
    }

    private AppEnvironment requireEnvironment(App app, String envCode) {
        return apps.findEnvironment(app.id(), envCode)
            .orElseThrow(() -> MiniflowException.notFound("app.environment.notFound", envCode, app.appCode()));
    }

    private DeployConfig requireDeployConfig(String workspace, String name) {
        return apps.findDeployConfig(workspace, name)
            .orElseThrow(() -> MiniflowException.notFound("app.deployConfig.notFound", name));
    }

    private StorageConfig requireStorageConfig(String workspace, String name) {
        return apps.findStorageConfig(workspace, name)
            .orElseThrow(() -> MiniflowException.notFound("app.storageConfig.notFound", name));
    }

    private ComponentPackage requirePackage(String workspace, String name, String version) {
        return apps.findPackage(workspace, name, version)
            .orElseThrow(() -> MiniflowException.notFound("app.package.notFound", name + "@" + version));
    }

    private ComponentGroup requireGroup(String workspace, String name) {
        return changes.findGroup(workspace, name)
            .orElseThrow(() -> MiniflowException.notFound("app.group.notFound", name));
    }

    private static java.util.Optional<ComponentPackage.Component> findComponent(ComponentPackage p, String name) {
        return p.components().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static String describe(AppEnvironment e) {
        return e.name() + " " + e.domain() + " " + e.apiDomain() + " deploy=" + e.deployConfig() + " storage="
            + e.storageConfig() + " approvals=" + (e.requiresApproval() ? e.requiredApprovals() : 0);
    }

    /** Compares two x.y.z versions numerically. */
    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static void orConflict(Runnable write, String key, Object... args) {
        try {
            write.run();
        } catch (DuplicateKeyException e) {
            throw MiniflowException.conflict(key, args);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
