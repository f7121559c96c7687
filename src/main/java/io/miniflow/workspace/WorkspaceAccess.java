package io.miniflow.workspace;

import java.util.List;
import java.util.Set;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.MiniflowException;

import org.springframework.stereotype.Component;

/**
 * The one place that answers "may this person see or manage this workspace?". Pages and APIs of a workspace
 * call it first, so a blocked member gets 403 everywhere, not only where someone remembered to check.
 */
@Component
public class WorkspaceAccess {

    private final WorkspaceRepository repository;

    WorkspaceAccess(WorkspaceRepository repository) {
        this.repository = repository;
    }

    /** The workspace, if the user is an active member (or sees all workspaces); 404 if it does not exist, else 403. */
    public Workspace requireMember(CurrentUser user, String workspace) {
        Workspace ws = repository.findByName(workspace)
            .orElseThrow(() -> MiniflowException.notFound("workspace.notFound", workspace));
        if (user.seesAllWorkspaces()) {
            return ws;
        }
        Member member = repository.findMember(workspace, user.username())
            .orElseThrow(() -> MiniflowException.forbidden("workspace.notMember", workspace));
        if (!member.isActive()) {
            throw MiniflowException.forbidden("workspace.blocked", workspace);
        }
        return ws;
    }

    /**
     * For what the workspaces share rather than own (the mini programs authorized to the platform, its code
     * templates): the user must be an active member of at least one workspace, or see all of them.
     */
    public void requireSomeWorkspace(CurrentUser user) {
        if (!user.seesAllWorkspaces() && repository.findActiveFor(user.username()).isEmpty()) {
            throw MiniflowException.forbidden("workspace.noneForUser");
        }
    }

    /** True when the user is an active member of the workspace with one of these roles. */
    public boolean hasRole(String username, String workspace, Set<String> roles) {
        return username != null && repository.findMember(workspace, username)
            .filter(m -> m.isActive() && roles.contains(m.role())).isPresent();
    }

    /** True when the user holds one of these roles, actively, in at least one workspace. */
    public boolean hasRoleSomewhere(String username, Set<String> roles) {
        return repository.findMembershipsOf(username).stream()
            .anyMatch(m -> m.isActive() && roles.contains(m.role()));
    }

    /**
     * The workspace, if the user is an active member with one of these roles; 404 if it does not exist, else 403
     * with {@code refusalKey} (which names the workspace as its argument).
     */
    public Workspace requireRole(CurrentUser user, String workspace, Set<String> roles, String refusalKey) {
        Workspace ws = requireMember(user, workspace);
        if (!hasRole(user.username(), workspace, roles)) {
            throw MiniflowException.forbidden(refusalKey, workspace);
        }
        return ws;
    }

    /** The workspace, if the user is one of its active admins (or a Camunda admin). */
    public Workspace requireAdmin(CurrentUser user, String workspace) {
        Workspace ws = requireMember(user, workspace);
        if (user.has(Roles.CAMUNDA_ADMIN) || isActiveAdmin(user.username(), workspace)) {
            return ws;
        }
        throw MiniflowException.forbidden("workspace.adminOnly", workspace);
    }

    /** Another person's membership, for an admin managing it: 404 {@code member.notFound} when they are no member. */
    public Member requireMemberNamed(String workspace, String username) {
        return repository.findMember(workspace, username == null ? "" : username)
            .orElseThrow(() -> MiniflowException.notFound("member.notFound", username, workspace));
    }

    /** Whether that member holds the role, blocked or not: what an admin may assign them depends on the role only. */
    public boolean holdsRole(String workspace, String username, String role) {
        return username != null && repository.findMember(workspace, username)
            .filter(m -> m.role().equals(role)).isPresent();
    }

    public boolean isActiveAdmin(String username, String workspace) {
        return hasRole(username, workspace, Set.of(Roles.WORKSPACE_ADMIN));
    }

    /** Workspaces whose data this user may see; {@code null} means all of them. */
    public List<String> visibleWorkspaces(CurrentUser user) {
        if (user.seesAllWorkspaces()) {
            return null;
        }
        return repository.findActiveFor(user.username()).stream().map(Workspace::name).toList();
    }
}
