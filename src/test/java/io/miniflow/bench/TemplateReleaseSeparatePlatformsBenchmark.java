package io.miniflow.bench;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.miniflow.MiniflowNode;
import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

/**
 * {@link TemplateReleaseBenchmarkBase} on MySQL/MariaDB with the emulators in a JVM of their own: Miniflow's CPU (this
 * JVM), the platforms' (theirs) and the database's are apart, as the fair comparison with the bare engine needs.
 */
@Tag("bench")
@MySqlIntegrationTest
class TemplateReleaseSeparatePlatformsBenchmark extends TemplateReleaseBenchmarkBase {

    private static MiniflowNode platforms;

    @DynamicPropertySource
    static void platformsElsewhere(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
        platforms = TemplateReleaseDriver.startPlatformsElsewhere(registry, "bench-platforms");
    }

    @AfterAll
    static void stopPlatforms() {
        if (platforms != null) {
            platforms.close();
        }
    }

    @Override
    MiniflowNode platforms() {
        return platforms;
    }

    @Override
    String database() {
        return "mariadb-separate-platforms";
    }
}
