package io.miniflow;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole application on MySQL/MariaDB (skipped without one, see {@link MySqlDatabase}); the test class adds a
 * {@code @DynamicPropertySource} calling {@link MySqlDatabase#register}. Its engine has its own name: Camunda's REST
 * and webapps look up "the default engine" in a JVM-wide registry, and a second "default" from this context would
 * take over the one the H2 tests' REST calls reach.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@MySqlDatabase.Required
@SpringBootTest(classes = MiniflowApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "camunda.bpm.process-engine-name=mysql")
@AutoConfigureMockMvc
@ActiveProfiles({"sandbox", "mysql"})
public @interface MySqlIntegrationTest {
}
