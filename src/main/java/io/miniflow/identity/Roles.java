package io.miniflow.identity;

import java.util.List;

/**
 * The role groups. Each is at the same time a Spring Security authority and a Camunda group id,
 * so the console, Tasklist, Cockpit and /engine-rest all see one set of roles.
 */
public final class Roles {

    public static final String WORKSPACE_ADMIN = "workspace-admin";
    public static final String WORKSPACE_REVIEWER = "workspace-reviewer";
    public static final String WORKSPACE_DEVELOPER = "workspace-developer";
    public static final String MINIPROGRAM_ADMIN = "miniprogram-admin";
    public static final String OPERATOR = "operator";
    /** Camunda's own administrator group: full rights in the engine and the Admin webapp. */
    public static final String CAMUNDA_ADMIN = "camunda-admin";

    /** Roles a member can hold inside a workspace. */
    public static final List<String> WORKSPACE_ROLES =
        List.of(WORKSPACE_ADMIN, WORKSPACE_REVIEWER, WORKSPACE_DEVELOPER, MINIPROGRAM_ADMIN);

    /** Roles held across the whole installation, not per workspace. */
    public static final List<String> GLOBAL_ROLES = List.of(OPERATOR, CAMUNDA_ADMIN);

    private Roles() {
    }

    /** The Camunda group of one role inside one workspace, used as candidate group of its tasks. */
    public static String workspaceGroup(String workspace, String role) {
        return workspace + "." + role;
    }

    public static boolean isWorkspaceRole(String role) {
        return WORKSPACE_ROLES.contains(role);
    }
}
