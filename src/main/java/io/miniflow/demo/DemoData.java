package io.miniflow.demo;

import java.util.List;

import io.miniflow.app.AppRequests;
import io.miniflow.app.AppChanges;
import io.miniflow.app.AppEditRequests;
import io.miniflow.app.AppService;

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
    private final AppService apps;
    private final AppChanges appChanges;

    @org.springframework.beans.factory.annotation.Value("${server.port:8080}")
    private int serverPort;

    DemoData(IdentityService identityService, WorkspaceService workspaces, AppService apps, AppChanges appChanges) {
        this.appChanges = appChanges;
        this.identityService = identityService;
        this.workspaces = workspaces;
        this.apps = apps;
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
        if (workspaces.membership(DEMO_WORKSPACE, "admin").isEmpty()) {
            createDemoWorkspace();
        }
        if (apps.visibleApps(SYSTEM, "demo").stream().noneMatch(a -> a.appCode().equals(DEMO_APP))) {
            createDemoApp();
        }
    }

    private static final CurrentUser SYSTEM = new CurrentUser("admin", java.util.Set.of(Roles.CAMUNDA_ADMIN));
    public static final String DEMO_APP = "demo";

    /** App demo with dev and test (publish at once) and prod (one approval), deployed by the local deploy target. */
    private void createDemoApp() {
        apps.createDeployConfig(SYSTEM, new AppRequests.NewDeployConfig(DEMO_WORKSPACE, "default", "local",
            "/minapp", "http://localhost:" + serverPort, "/sandbox/deploy/minapp", "Local directory under ./data/deploy"));
        apps.createStorageConfig(SYSTEM, new AppRequests.NewStorageConfig(DEMO_WORKSPACE, "platform", "local",
            "demo-files", null, "http://localhost:" + serverPort + "/files", "Platform's public file storage"));
        apps.createApp(SYSTEM, new AppRequests.NewApp(DEMO_WORKSPACE, DEMO_APP, "Demo shop",
            "The demo mini-program app", "1.0.0", List.of()));
        for (String[] env : new String[][] {{"dev", "Development", "false"}, {"test", "Test", "false"},
            {"prod", "Production", "true"}}) {
            apps.createEnvironment(SYSTEM, DEMO_APP, new AppRequests.NewEnvironment(env[0], env[1],
                "https://" + env[0] + ".demo.miniflow.local", "https://api-" + env[0] + ".demo.miniflow.local",
                "default", "platform", Boolean.parseBoolean(env[2]), 1));
        }
        createDemoComponents();
        log.info("Sandbox demo app {} ready: environments dev, test (no approval) and prod (one approval)", DEMO_APP);
    }

    /** A registered component package with its components in a group, as seed 000 §1.2.3 registers one. */
    private void createDemoComponents() {
        apps.createPackage(SYSTEM, new AppRequests.NewPackage(DEMO_WORKSPACE, "demo-ui", "1.0.0",
            "Basic components of the demo shop", "https://git.demo.miniflow.local/demo/demo-ui.git",
            List.of(new AppRequests.NewComponent("button", "A button"), new AppRequests.NewComponent("card", null))));
        appChanges.createGroup(SYSTEM, DEMO_WORKSPACE, new AppEditRequests.GroupRequest("Basic", 10));
        appChanges.updateComponent(SYSTEM, DEMO_WORKSPACE, "demo-ui", "1.0.0", "button",
            new AppEditRequests.EditComponent("button", "Button", "icon-button", "A button", "Basic"));
    }

    private void createDemoWorkspace() {
        CurrentUser system = new CurrentUser("admin", java.util.Set.of(Roles.CAMUNDA_ADMIN));
        workspaces.create(system, new NewWorkspace(DEMO_WORKSPACE, "5734 Software",
            "1 Demo Road, Hangzhou", "Ada Admin", "admin@demo.miniflow.local"));
        for (DemoUser demo : USERS) {
            if (demo.workspaceRole() != null && !"admin".equals(demo.id())) {
                workspaces.invite(system, DEMO_WORKSPACE, demo.id(), demo.workspaceRole());
            }
        }
        log.info("Sandbox demo workspace ready: users {} (password = user name), workspace {}",
            USERS.stream().map(DemoUser::id).toList(), DEMO_WORKSPACE);
    }
}
