package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;

/** The prod profile refuses demo users, default passwords, weak admin passwords and the sandbox. */
class ProductionSafetyCheckTest {

    private org.camunda.bpm.engine.ProcessEngine engine;
    private IdentityService identity;

    @BeforeEach
    void engine() {
        engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
            .setJdbcUrl("jdbc:h2:mem:prodcheck-" + System.nanoTime())
            .setProcessEngineName("prodcheck-" + System.nanoTime())
            .setJobExecutorActivate(false)
            .buildProcessEngine();
        identity = engine.getIdentityService();
        identity.saveGroup(identity.newGroup(Roles.CAMUNDA_ADMIN));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void startsWithAStrongAdminPasswordAndNoDemoUsers() {
        assertThatCode(() -> check("platformadmin", "a-long-secret-42", "prod").run(null)).doesNotThrowAnyException();
        assertThatCode(() -> check("platformadmin", "a-long-secret-42", "prod").run(null))
            .as("second start finds the admin already there").doesNotThrowAnyException();
    }

    @Test
    void refusesWhileADemoUserExists() {
        user("reviewer", "something-else-entirely");
        assertThatThrownBy(() -> check("platformadmin", "a-long-secret-42", "prod").run(null))
            .hasMessageContaining("Demo user 'reviewer'");
    }

    @Test
    void refusesAPasswordEqualToTheUserName() {
        user("alice", "alice");
        assertThatThrownBy(() -> check("platformadmin", "a-long-secret-42", "prod").run(null))
            .hasMessageContaining("default password");
    }

    @Test
    void refusesAWeakAdminPassword() {
        assertThatThrownBy(() -> check("platformadmin", "short", "prod").run(null))
            .hasMessageContaining("MINIFLOW_ADMIN_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"miniflow.sandbox.emulators", "miniflow.sandbox.demo-data"})
    void refusesToRunWithTheEmulatorsOrTheDemoData(String sandboxSetting) {
        MockEnvironment env = new MockEnvironment().withProperty(sandboxSetting, "true");
        env.setActiveProfiles("prod");
        assertThatThrownBy(() -> new ProductionSafetyCheck(identity, env, "platformadmin", "a-long-secret-42").run(null))
            .hasMessageContaining(sandboxSetting);
    }

    private void user(String id, String password) {
        User user = identity.newUser(id);
        user.setPassword(password);
        identity.saveUser(user);
    }

    private ProductionSafetyCheck check(String admin, String password, String... profiles) {
        MockEnvironment env = new MockEnvironment();
        env.setActiveProfiles(profiles);
        return new ProductionSafetyCheck(identity, env, admin, password);
    }

}
