package io.miniflow.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.Tag;

/**
 * The reliability scenarios at full size ({@code mvn -Preliability verify}): batches of 1,000 mini programs (or
 * {@code -Dreliability.mini-programs}), a node killed three times at different moments. Writes docs/reliability.md.
 */
@Tag("reliability")
class ReliabilityBenchmark extends ReliabilityHarness {

    private static final int SIZE = Integer.getInteger("reliability.mini-programs", 1000);

    @Override
    int miniPrograms() {
        return SIZE;
    }

    @Override
    int concurrency() {
        return Math.min(SIZE, 200);
    }

    @Override
    int kills() {
        return 3;
    }

    @Override
    boolean holdTimesToTargets() {
        return true;
    }

    @Override
    void report(Map<String, String> figures) {
        StringBuilder doc = new StringBuilder("""
            # Reliability: two nodes, a killed node, injected faults

            Written by `mvn -Preliability verify` (`ReliabilityBenchmark`); the same scenarios run at CI size in every
            `mvn verify` (`ReliabilityTest`, 30 mini programs, one kill). What runs: two Miniflow nodes as separate
            JVMs on one MariaDB of the harness's own (scenario 5 stops it), the emulators in a JVM of their own, the
            platforms' pushes through a load balancer in front of both nodes. Job lock time 30 s in the harness
            (production: the engine's 5 minutes, docs/operations.md); quick retries and the engine's retry cycle as
            shipped. Every scenario fails the run if a mini program is lost, a commit, submit or release is repeated
            (the emulator's count), or a job ran twice (the engine's job log). Rerun with
            `mvn -Preliability verify` (about 30 minutes; `-Dreliability.mini-programs=200` for a shorter run).

            """);
        doc.append("Run of ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE)).append(", ")
            .append(SIZE).append(" mini programs per batch, concurrency ").append(concurrency())
            .append(", load average before: ").append(loadAverage()).append(".\n\n");
        figures.forEach((scenario, text) -> doc.append("## ").append(scenario).append("\n\n").append(text)
            .append("\n\n"));
        System.out.println(doc);
        try {
            Files.writeString(Path.of("docs/reliability.md"), doc.toString().strip() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
