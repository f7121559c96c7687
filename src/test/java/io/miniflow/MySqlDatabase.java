package io.miniflow;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;

/**
 * A real MySQL-family database for the tests that need one: the database named by TEST_DB_URL (with TEST_DB_USER and
 * TEST_DB_PASSWORD; .ci/run starts MariaDB and sets them), else a Testcontainers MySQL 8 where Docker runs, else
 * none, and the tests annotated {@link Required} skip with the reason.
 */
public final class MySqlDatabase {

    /** Where to reach the database. */
    public record Connection(String url, String user, String password, String origin) {
    }

    private static Optional<Connection> connection;
    private static MySQLContainer<?> container;

    private MySqlDatabase() {
    }

    public static synchronized Optional<Connection> connection() {
        if (connection == null) {
            connection = resolve();
        }
        return connection;
    }

    /** Points Spring's datasource at the database (for @DynamicPropertySource). */
    public static void register(DynamicPropertyRegistry registry) {
        Connection c = connection().orElseThrow();
        registry.add("spring.datasource.url", c::url);
        registry.add("spring.datasource.username", c::user);
        registry.add("spring.datasource.password", c::password);
    }

    private static Optional<Connection> resolve() {
        String url = System.getenv("TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return Optional.of(new Connection(url, System.getenv().getOrDefault("TEST_DB_USER", "miniflow"),
                System.getenv().getOrDefault("TEST_DB_PASSWORD", ""), "TEST_DB_URL"));
        }
        if (dockerAvailable()) {
            container = new MySQLContainer<>("mysql:8.0").withDatabaseName("miniflow")
                .withCommand("--transaction-isolation=READ-COMMITTED");
            container.start();
            return Optional.of(new Connection(container.getJdbcUrl() + "?nullDatabaseMeansCurrent=true",
                container.getUsername(), container.getPassword(), "Testcontainers"));
        }
        return Optional.empty();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs the test class only where a MySQL-family database is available; otherwise skips it and says why. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(Condition.class)
    public @interface Required {
    }

    static class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return connection()
                .map(c -> ConditionEvaluationResult.enabled("MySQL-family database from " + c.origin()))
                .orElseGet(() -> ConditionEvaluationResult.disabled(
                    "No TEST_DB_URL and no Docker: .ci/run starts MariaDB and sets TEST_DB_URL for these tests"));
        }
    }
}
