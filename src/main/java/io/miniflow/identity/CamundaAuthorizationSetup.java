package io.miniflow.identity;

import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;
import static org.camunda.bpm.engine.authorization.Authorization.ANY;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.BatchPermissions;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.HistoricProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.HistoricTaskPermissions;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Makes sure the role groups exist in Camunda and carry the authorizations of their role. Runs at every
 * start and only adds what is missing, so an operator's own changes in Camunda Admin are kept.
 *
 * <p>Two kinds of grant are enforced at every start, because older versions granted more: starting processes other
 * than {@link #PEOPLE_START}, and the batch kinds an operator may create.
 *
 * <p>Workspace data is separated by Camunda tenants (one per workspace, see WorkspaceIdentitySync), so the
 * grants below can be global: a workspace admin holds ALL on instances, but only sees its tenants.
 */
@Component
@Order(1)
public class CamundaAuthorizationSetup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CamundaAuthorizationSetup.class);

    /** Processes people may start from Tasklist or /engine-rest (they have a start form and check their starter). */
    static final List<String> PEOPLE_START = List.of("app-publish");

    private final IdentityService identityService;
    private final AuthorizationService authorizationService;

    public CamundaAuthorizationSetup(IdentityService identityService, AuthorizationService authorizationService) {
        this.identityService = identityService;
        this.authorizationService = authorizationService;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (String role : Roles.WORKSPACE_ROLES) {
            ensureGroup(role, Groups.GROUP_TYPE_WORKFLOW);
        }
        ensureGroup(Roles.OPERATOR, Groups.GROUP_TYPE_WORKFLOW);
        ensureGroup(Roles.CAMUNDA_ADMIN, Groups.GROUP_TYPE_SYSTEM);

        for (Resource resource : Resources.values()) {
            grant(Roles.CAMUNDA_ADMIN, resource, ANY, Permissions.ALL);
        }

        grantApplications(Roles.CAMUNDA_ADMIN, "cockpit", "tasklist", "admin", "welcome");
        grantApplications(Roles.OPERATOR, "cockpit", "tasklist", "welcome");
        grantApplications(Roles.WORKSPACE_ADMIN, "cockpit", "tasklist", "welcome");
        for (String role : List.of(Roles.WORKSPACE_REVIEWER, Roles.WORKSPACE_DEVELOPER, Roles.MINIPROGRAM_ADMIN)) {
            grantApplications(role, "tasklist", "welcome");
        }

        Map<Resource, Permission[]> operator = Map.of(
            Resources.PROCESS_DEFINITION, new Permission[] {Permissions.READ, Permissions.READ_INSTANCE,
                Permissions.UPDATE_INSTANCE, Permissions.READ_HISTORY, Permissions.READ_TASK, ProcessDefinitionPermissions.RETRY_JOB},
            Resources.PROCESS_INSTANCE, new Permission[] {Permissions.READ, Permissions.UPDATE,
                ProcessInstancePermissions.RETRY_JOB},
            Resources.DEPLOYMENT, new Permission[] {Permissions.READ},
            Resources.TASK, new Permission[] {Permissions.READ},
            Resources.DECISION_DEFINITION, new Permission[] {Permissions.READ},
            Resources.HISTORIC_PROCESS_INSTANCE, new Permission[] {HistoricProcessInstancePermissions.READ},
            Resources.HISTORIC_TASK, new Permission[] {HistoricTaskPermissions.READ});
        operator.forEach((resource, permissions) -> grant(Roles.OPERATOR, resource, ANY, permissions));
        // Batches run in the job executor, where no person is known: only the kinds that carry no variables and
        // start nothing (setting variables, correlating messages, migrating or restarting could write protected ones).
        enforce(Roles.OPERATOR, Resources.BATCH, ANY, BatchPermissions.READ,
            BatchPermissions.CREATE_BATCH_SET_JOB_RETRIES, BatchPermissions.CREATE_BATCH_SET_EXTERNAL_TASK_RETRIES,
            BatchPermissions.CREATE_BATCH_DELETE_RUNNING_PROCESS_INSTANCES,
            BatchPermissions.CREATE_BATCH_UPDATE_PROCESS_INSTANCES_SUSPEND);

        for (Resource resource : List.of(Resources.PROCESS_INSTANCE, Resources.TASK,
            Resources.HISTORIC_PROCESS_INSTANCE, Resources.HISTORIC_TASK)) {
            grant(Roles.WORKSPACE_ADMIN, resource, ANY, Permissions.ALL);
        }
        grant(Roles.WORKSPACE_ADMIN, Resources.PROCESS_DEFINITION, ANY, Permissions.ALL);
        grant(Roles.WORKSPACE_ADMIN, Resources.DEPLOYMENT, ANY, Permissions.READ);

        for (String role : List.of(Roles.WORKSPACE_REVIEWER, Roles.WORKSPACE_DEVELOPER, Roles.MINIPROGRAM_ADMIN)) {
            grant(role, Resources.PROCESS_DEFINITION, ANY, Permissions.READ);
            grant(role, Resources.PROCESS_INSTANCE, ANY, Permissions.CREATE);
        }
        // People start only the processes meant for them; Miniflow starts the rest (approvals, releases) itself, for
        // the user it authenticated. Older installations granted starting any process: taken back at every start.
        for (String role : Roles.WORKSPACE_ROLES) {
            withoutPermission(role, Resources.PROCESS_DEFINITION, ANY, ProcessDefinitionPermissions.CREATE_INSTANCE);
            for (String processKey : PEOPLE_START) {
                grant(role, Resources.PROCESS_DEFINITION, processKey, Permissions.READ,
                    ProcessDefinitionPermissions.CREATE_INSTANCE);
            }
        }
        for (String role : Roles.WORKSPACE_ROLES) {
            grant(role, Resources.FILTER, ANY, Permissions.READ);
        }
        grant(Roles.OPERATOR, Resources.FILTER, ANY, Permissions.READ);
    }

    /** Sets a grant to exactly these permissions, whatever an earlier version or an operator left there. */
    private void enforce(String group, Resource resource, String resourceId, Permission... permissions) {
        Authorization existing = authorizationService.createAuthorizationQuery()
            .groupIdIn(group).resourceType(resource).resourceId(resourceId).singleResult();
        if (existing != null) {
            authorizationService.deleteAuthorization(existing.getId());
        }
        grant(group, resource, resourceId, permissions);
    }

    private void withoutPermission(String group, Resource resource, String resourceId, Permission permission) {
        Authorization existing = authorizationService.createAuthorizationQuery()
            .groupIdIn(group).resourceType(resource).resourceId(resourceId).singleResult();
        if (existing != null && existing.isPermissionGranted(permission)) {
            existing.removePermission(permission);
            authorizationService.saveAuthorization(existing);
            log.info("Took {} on {} {} from group {}", permission.getName(), resource.resourceName(), resourceId, group);
        }
    }

    private void ensureGroup(String id, String type) {
        if (identityService.createGroupQuery().groupId(id).count() == 0) {
            Group group = identityService.newGroup(id);
            group.setName(id);
            group.setType(type);
            identityService.saveGroup(group);
            log.info("Created Camunda group {}", id);
        }
    }

    private void grantApplications(String group, String... applications) {
        for (String application : applications) {
            grant(group, Resources.APPLICATION, application, Permissions.ACCESS);
        }
    }

    private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
        boolean present = authorizationService.createAuthorizationQuery()
            .groupIdIn(group).resourceType(resource).resourceId(resourceId).count() > 0;
        if (present) {
            return;
        }
        Authorization authorization = authorizationService.createNewAuthorization(AUTH_TYPE_GRANT);
        authorization.setGroupId(group);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        authorizationService.saveAuthorization(authorization);
    }
}
