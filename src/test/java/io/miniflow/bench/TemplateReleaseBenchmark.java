package io.miniflow.bench;

import org.junit.jupiter.api.Tag;

import io.miniflow.MiniflowIntegrationTest;

/** {@link TemplateReleaseBenchmarkBase} on the embedded H2. */
@Tag("bench")
@MiniflowIntegrationTest
class TemplateReleaseBenchmark extends TemplateReleaseBenchmarkBase {

    @Override
    String database() {
        return "h2";
    }
}
