package io.miniflow.approval;

import java.util.List;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.miniflow.identity.Roles;
import io.miniflow.workspace.WorkspaceAccess;

/** Who may decide a workspace's applications: its active admins and reviewers (also their Camunda groups). */
@Component
public class Reviewers {

    /** The workspace roles that decide applications. */
    static final Set<String> ROLES = Set.of(Roles.WORKSPACE_ADMIN, Roles.WORKSPACE_REVIEWER);

    private final WorkspaceAccess access;

    Reviewers(WorkspaceAccess access) {
        this.access = access;
    }

    /** The candidate groups of a workspace's review task. */
    public static List<String> groupsOf(String workspace) {
        return List.of(Roles.workspaceGroup(workspace, Roles.WORKSPACE_ADMIN),
            Roles.workspaceGroup(workspace, Roles.WORKSPACE_REVIEWER));
    }

    /** An active admin or reviewer of the workspace; a blocked one is no reviewer. */
    public boolean isReviewer(String username, String workspace) {
        return access.hasRole(username, workspace, ROLES);
    }
}
