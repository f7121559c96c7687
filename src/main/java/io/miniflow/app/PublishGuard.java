package io.miniflow.app;

import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.miniflow.identity.Roles;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * The checks before a publish, shared by the API (to answer at once) and the process's validation step (which
 * also covers starts from Tasklist): the app and environment exist, the version is x.y.z and not yet published
 * there, no other publish runs there, and the publisher may publish in the app's workspace.
 */
@Component
class PublishGuard {

    /** Workspace roles that may publish app versions. */
    static final Set<String> PUBLISHER_ROLES =
        Set.of(Roles.WORKSPACE_ADMIN, Roles.WORKSPACE_DEVELOPER, Roles.MINIPROGRAM_ADMIN);

    private final AppRepository repository;
    private final WorkspaceAccess access;

    PublishGuard(AppRepository repository, WorkspaceAccess access) {
        this.repository = repository;
        this.access = access;
    }

    Target check(String appCode, String envCode, String version, String publisher) {
        App app = repository.findApp(appCode == null ? "" : appCode)
            .orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
        AppEnvironment env = repository.findEnvironment(app.id(), envCode == null ? "" : envCode)
            .orElseThrow(() -> MiniflowException.notFound("app.environment.notFound", envCode, appCode));
        requirePublisher(app.workspace(), publisher);
        if (!Codes.isSemver(version)) {
            throw MiniflowException.badRequest("app.version.format", version);
        }
        Optional<AppVersion> existing = repository.findVersion(env.id(), version);
        if (existing.filter(v -> v.status() == VersionStatus.PUBLISHED).isPresent()) {
            throw MiniflowException.conflict("app.version.alreadyPublished", version, envCode);
        }
        if (env.isPublishing() && existing.map(v -> !Long.valueOf(v.id()).equals(env.publishingVersionId())).orElse(true)) {
            String running = repository.findVersionById(env.publishingVersionId()).map(AppVersion::version).orElse("?");
            throw MiniflowException.conflict("app.publish.running", appCode, envCode, running);
        }
        return new Target(app, env, existing.orElse(null));
    }

    void requirePublisher(String workspace, String username) {
        if (!access.hasRole(username, workspace, PUBLISHER_ROLES)) {
            throw MiniflowException.forbidden("app.publish.notAllowed", username, workspace);
        }
    }

    record Target(App app, AppEnvironment environment, AppVersion existingVersion) {
    }
}
