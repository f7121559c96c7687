package io.miniflow.bench;

import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

/**
 * {@link TemplateReleaseBenchmarkBase} on MariaDB with Miniflow's WeChat rate limit set below what the batch would
 * otherwise reach, so that the limit binds; skipped without a database.
 */
@Tag("bench")
@MySqlIntegrationTest
class TemplateReleaseRateLimitBenchmark extends TemplateReleaseBenchmarkBase {

    private static final int RATE = 40;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
        registry.add("miniflow.wechat.rate-limit-per-second", () -> RATE);
    }

    @Override
    String database() {
        return "mariadb";
    }

    @Override
    int rateLimitPerSecond() {
        return RATE;
    }
}
