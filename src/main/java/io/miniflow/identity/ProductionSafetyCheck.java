package io.miniflow.identity;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * In the prod profile: creates the first administrator from environment variables, then refuses to start
 * while the sandbox is on, a demo user exists, or any user's password is their user name.
 */
@Component
@Profile("prod")
@Order(0)
class ProductionSafetyCheck implements ApplicationRunner {

    static final List<String> DEMO_USERS = List.of("admin", "reviewer", "reviewer2", "developer", "mpadmin", "operator",
        "demo");

    private final IdentityService identityService;
    private final Environment environment;
    private final String adminUser;
    private final String adminPassword;

    ProductionSafetyCheck(IdentityService identityService, Environment environment,
                          @Value("${miniflow.admin.username}") String adminUser,
                          @Value("${miniflow.admin.initial-password}") String adminPassword) {
        this.identityService = identityService;
        this.environment = environment;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (environment.getProperty("miniflow.sandbox.emulators", Boolean.class, false)
            || environment.getProperty("miniflow.sandbox.demo-data", Boolean.class, false)) {
            throw new IllegalStateException("The prod profile cannot run with the platform emulators or the demo data "
                + "(miniflow.sandbox.emulators, miniflow.sandbox.demo-data: the sandbox profile).");
        }
        if (adminPassword == null || adminPassword.length() < 12 || adminPassword.equals(adminUser)) {
            throw new IllegalStateException("MINIFLOW_ADMIN_PASSWORD must be set, at least 12 characters, "
                + "and differ from the user name.");
        }
        if (identityService.createUserQuery().userId(adminUser).count() == 0) {
            User admin = identityService.newUser(adminUser);
            admin.setPassword(adminPassword);
            identityService.saveUser(admin);
            identityService.createMembership(adminUser, Roles.CAMUNDA_ADMIN);
        }
        for (User user : identityService.createUserQuery().list()) {
            if (DEMO_USERS.contains(user.getId()) && !user.getId().equals(adminUser)) {
                throw new IllegalStateException("Demo user '" + user.getId() + "' exists: remove it before "
                    + "running with the prod profile.");
            }
            if (identityService.checkPassword(user.getId(), user.getId())) {
                throw new IllegalStateException("User '" + user.getId() + "' still has the default password "
                    + "(= user name): change it before running with the prod profile.");
            }
        }
    }
}
