package io.miniflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;

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
        try {
            // Miniflow's port is fixed beforehand: the platforms push to it.
            int miniflowPort = MiniflowNode.freePort();
            platforms = MiniflowNode.startEmulators("bench-platforms", "1g", miniflowPort);
            registry.add("server.port", () -> miniflowPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String setting : MiniflowNode.usingEmulatorsAt(platforms)) {
            String[] nameAndValue = setting.substring(2).split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
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
