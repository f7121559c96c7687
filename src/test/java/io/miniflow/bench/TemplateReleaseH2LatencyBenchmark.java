package io.miniflow.bench;

import org.junit.jupiter.api.Tag;

import io.miniflow.MiniflowIntegrationTest;

/** {@link TemplateReleaseBenchmarkBase} on the embedded H2 with 100 ms added to every WeChat call. */
@Tag("bench")
@MiniflowIntegrationTest
class TemplateReleaseH2LatencyBenchmark extends TemplateReleaseBenchmarkBase {

    @Override
    String database() {
        return "h2";
    }

    @Override
    long latencyMillis() {
        return 100;
    }
}
