package io.miniflow.approval;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.stereotype.Component;

import io.miniflow.identity.Roles;

/** Who may decide a workspace's applications: its active admins and reviewers (their Camunda groups). */
@Component
public class Reviewers {

    private final IdentityService identityService;

    Reviewers(IdentityService identityService) {
        this.identityService = identityService;
    }

    /** The candidate groups of a workspace's review task. */
    public static List<String> groupsOf(String workspace) {
        return List.of(Roles.workspaceGroup(workspace, Roles.WORKSPACE_ADMIN),
            Roles.workspaceGroup(workspace, Roles.WORKSPACE_REVIEWER));
    }

    public boolean isReviewer(String username, String workspace) {
        // Blocking a member removes their workspace groups, so a blocked reviewer is no reviewer.
        return identityService.createGroupQuery().groupMember(username)
            .groupIdIn(groupsOf(workspace).toArray(String[]::new)).count() > 0;
    }
}
