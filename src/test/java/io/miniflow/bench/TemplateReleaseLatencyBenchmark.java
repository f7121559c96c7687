package io.miniflow.bench;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

/** {@link TemplateReleaseBenchmarkBase} on MariaDB with 100 ms added to every WeChat call; skipped without a database. */
@Tag("bench")
@MySqlIntegrationTest
class TemplateReleaseLatencyBenchmark extends TemplateReleaseBenchmarkBase {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @Override
    String database() {
        return "mariadb";
    }

    @Override
    long latencyMillis() {
        return 100;
    }
}
