package io.miniflow.bench;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

/** {@link TemplateReleaseBenchmarkBase} on MySQL/MariaDB (TEST_DB_URL, as .ci/run sets it); skipped without one. */
@Tag("bench")
@MySqlIntegrationTest
class TemplateReleaseMariaDbBenchmark extends TemplateReleaseBenchmarkBase {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @Override
    String database() {
        return "mariadb";
    }
}
