package io.miniflow.release;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * Who may see and change one mini program's page (versions, rollback, testers, privacy guide). A mini program a
 * tenant bound belongs to that tenant's workspace: its members see it, and those who may release there
 * (mini-program admins, workspace admins) change it. One no tenant bound is the platform's, shared like the
 * authorizers page: members of any workspace see it, and those who may release somewhere change it.
 * A malformed appid is a 400, an appid the platform never authorized a 404.
 */
@Component
public class MiniProgramAccess {

    public static final String APP_ID_REGEX = ReleaseBatchService.APP_ID_REGEX;

    private final WorkspaceAccess access;
    private final AuthorizedMiniPrograms authorized;
    private final MiniProgramOwners owners;

    MiniProgramAccess(WorkspaceAccess access, AuthorizedMiniPrograms authorized, MiniProgramOwners owners) {
        this.access = access;
        this.authorized = authorized;
        this.owners = owners;
    }

    /** The mini program's workspace, or empty for the platform's; 403 for people who may not see it. */
    public Optional<String> requireViewer(CurrentUser user, String appId) {
        requireKnown(appId);
        Optional<String> workspace = owners.ofMiniProgram(appId).map(MiniProgramOwners.Owner::workspace);
        if (workspace.isPresent()) {
            access.requireMember(user, workspace.get());
        } else {
            access.requireSomeWorkspace(user);
        }
        return workspace;
    }

    /** As {@link #requireViewer}, and the person may release to it; else 403. */
    public Optional<String> requireChanger(CurrentUser user, String appId) {
        Optional<String> workspace = requireViewer(user, appId);
        if (workspace.isPresent()) {
            access.requireRole(user, workspace.get(), ReleaseBatchService.RELEASERS, "miniProgram.notAllowed");
        } else if (!mayChangeShared(user)) {
            throw MiniflowException.forbidden("miniProgram.notAllowed", appId);
        }
        return workspace;
    }

    /** Whether the person may change this mini program (for showing the page's forms); false for viewers. */
    public boolean mayChange(CurrentUser user, String appId) {
        Optional<String> workspace = owners.ofMiniProgram(appId).map(MiniProgramOwners.Owner::workspace);
        // As for a release in that workspace: the role there, not a platform-wide one.
        return workspace.map(ws -> access.hasRole(user.username(), ws, ReleaseBatchService.RELEASERS))
            .orElseGet(() -> mayChangeShared(user));
    }

    /** The mini program's owner (workspace, app, tenant app), when a tenant bound it. */
    public Optional<MiniProgramOwners.Owner> owner(String appId) {
        return owners.ofMiniProgram(appId);
    }

    private boolean mayChangeShared(CurrentUser user) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.hasRoleSomewhere(user.username(), ReleaseBatchService.RELEASERS);
    }

    private void requireKnown(String appId) {
        if (appId == null || !appId.matches(APP_ID_REGEX)) {
            throw MiniflowException.badRequest("release.appId.pattern");
        }
        if (!authorized.unknown(List.of(appId)).isEmpty()) {
            throw MiniflowException.notFound("settings.unknownAppId", appId);
        }
    }
}
