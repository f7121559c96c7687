package io.miniflow.sandbox;

import java.util.List;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.workspace.NewWorkspace;
import io.miniflow.workspace.WorkspaceService;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo users (password = user name) and the demo workspace, so a newcomer can log in and try every role.
 * Sandbox profile only; the prod profile refuses to start while any of these users exists.
 */
@Component
@Profile("sandbox")
@ConditionalOnProperty(name = "miniflow.sandbox.demo-data", havingValue = "true")
@Order(10)
public class DemoData implements ApplicationRunner {

    public static final String DEMO_WORKSPACE = "Demo";

    /** Demo user, the global groups they get directly, and their role in the demo workspace (if any). */
    public record DemoUser(String id, String firstName, String lastName, List<String> globalGroups,
                           String workspaceRole) {
    }

    public static final List<DemoUser> USERS = List.of(
        new DemoUser("admin", "Ada", "Admin", List.of(Roles.CAMUNDA_ADMIN), Roles.WORKSPACE_ADMIN),
        new DemoUser("reviewer", "Rui", "Reviewer", List.of(), Roles.WORKSPACE_REVIEWER),
        new DemoUser("reviewer2", "Rong", "Reviewer", List.of(), Roles.WORKSPACE_REVIEWER),
        new DemoUser("developer", "Dai", "Developer", List.of(), Roles.WORKSPACE_DEVELOPER),
        new DemoUser("mpadmin", "Mei", "Mini Program Admin", List.of(), Roles.MINIPROGRAM_ADMIN),
        new DemoUser("operator", "Ou", "Operator", List.of(Roles.OPERATOR), null));

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final IdentityService identityService;
    private final WorkspaceService workspaces;

    DemoData(IdentityService identityService, WorkspaceService workspaces) {
        this.identityService = identityService;
        this.workspaces = workspaces;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (DemoUser demo : USERS) {
            if (identityService.createUserQuery().userId(demo.id()).count() == 0) {
                User user = identityService.newUser(demo.id());
                user.setFirstName(demo.firstName());
                user.setLastName(demo.lastName());
                user.setEmail(demo.id() + "@demo.miniflow.local");
                user.setPassword(demo.id());
                identityService.saveUser(user);
                for (String group : demo.globalGroups()) {
                    identityService.createMembership(demo.id(), group);
                }
            }
        }
        if (workspaces.membership(DEMO_WORKSPACE, "admin").isPresent()) {
            return;
        }
        CurrentUser system = new CurrentUser("admin", java.util.Set.of(Roles.CAMUNDA_ADMIN));
        workspaces.create(system, new NewWorkspace(DEMO_WORKSPACE, "5734 Software",
            "1 Demo Road, Hangzhou", "Ada Admin", "admin@demo.miniflow.local"));
        for (DemoUser demo : USERS) {
            if (demo.workspaceRole() != null && !"admin".equals(demo.id())) {
                workspaces.invite(system, DEMO_WORKSPACE, demo.id(), demo.workspaceRole());
            }
        }
        log.info("Sandbox demo data ready: users {} (password = user name), workspace {}",
            USERS.stream().map(DemoUser::id).toList(), DEMO_WORKSPACE);
    }
}
