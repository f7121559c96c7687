package io.miniflow.workspace;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.miniflow.identity.Roles;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.Tenant;
import org.springframework.stereotype.Component;

/**
 * Mirrors workspace membership into Camunda so the engine enforces it too: one Camunda tenant per workspace,
 * a group per role and workspace ({@code Demo.workspace-reviewer}, the candidate group of that workspace's
 * tasks) and the plain role group ({@code workspace-reviewer}) for Camunda's application authorizations.
 * A blocked member loses all of these for that workspace, so Tasklist and /engine-rest hide its work too.
 */
@Component
class WorkspaceIdentitySync {

    private final IdentityService identityService;
    private final WorkspaceRepository repository;

    WorkspaceIdentitySync(IdentityService identityService, WorkspaceRepository repository) {
        this.identityService = identityService;
        this.repository = repository;
    }

    void workspaceCreated(String workspace) {
        if (identityService.createTenantQuery().tenantId(workspace).count() == 0) {
            Tenant tenant = identityService.newTenant(workspace);
            tenant.setName(workspace);
            identityService.saveTenant(tenant);
            // Operators repair any workspace's processes, so they belong to every tenant.
            identityService.createTenantGroupMembership(workspace, Roles.OPERATOR);
        }
        for (String role : Roles.WORKSPACE_ROLES) {
            String groupId = Roles.workspaceGroup(workspace, role);
            if (identityService.createGroupQuery().groupId(groupId).count() == 0) {
                Group group = identityService.newGroup(groupId);
                group.setName(workspace + " " + role);
                group.setType(Groups.GROUP_TYPE_WORKFLOW);
                identityService.saveGroup(group);
            }
        }
    }

    /** Recomputes one user's workspace groups and tenants from their memberships. */
    void syncUser(String username) {
        List<Member> active = repository.findMembershipsOf(username).stream().filter(Member::isActive).toList();

        Set<String> wantedGroups = new HashSet<>();
        for (Member m : active) {
            wantedGroups.add(m.role());
            wantedGroups.add(Roles.workspaceGroup(m.workspace(), m.role()));
        }
        Set<String> currentGroups = identityService.createGroupQuery().groupMember(username).list().stream()
            .map(Group::getId).collect(Collectors.toSet());
        for (String group : currentGroups) {
            if (isWorkspaceManaged(group) && !wantedGroups.contains(group)) {
                identityService.deleteMembership(username, group);
            }
        }
        for (String group : wantedGroups) {
            if (!currentGroups.contains(group)) {
                identityService.createMembership(username, group);
            }
        }

        Set<String> wantedTenants = active.stream().map(Member::workspace).collect(Collectors.toSet());
        Set<String> currentTenants = identityService.createTenantQuery().userMember(username).list().stream()
            .map(Tenant::getId).collect(Collectors.toSet());
        for (String tenant : currentTenants) {
            if (!wantedTenants.contains(tenant)) {
                identityService.deleteTenantUserMembership(tenant, username);
            }
        }
        for (String tenant : wantedTenants) {
            if (!currentTenants.contains(tenant)) {
                identityService.createTenantUserMembership(tenant, username);
            }
        }
    }

    private static boolean isWorkspaceManaged(String group) {
        if (Roles.isWorkspaceRole(group)) {
            return true;
        }
        int dot = group.indexOf('.');
        return dot > 0 && Roles.isWorkspaceRole(group.substring(dot + 1));
    }
}
