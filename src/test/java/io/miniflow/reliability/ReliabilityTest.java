package io.miniflow.reliability;

import java.util.Map;

/**
 * The reliability scenarios at CI size, inside {@code mvn verify}: a batch of 30 mini programs, one node killed.
 * The full size is {@link ReliabilityBenchmark}. Skipped, with the reason, where MariaDB's programs are missing.
 */
class ReliabilityTest extends ReliabilityHarness {

    @Override
    int miniPrograms() {
        return 30;
    }

    @Override
    int concurrency() {
        return 30;
    }

    @Override
    int kills() {
        return 1;
    }

    @Override
    boolean holdTimesToTargets() {
        return false;
    }

    @Override
    void report(Map<String, String> figures) {
        figures.forEach((scenario, text) -> System.out.println("## " + scenario + "\n\n" + text + "\n"));
    }
}
