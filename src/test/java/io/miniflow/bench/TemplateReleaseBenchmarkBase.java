package io.miniflow.bench;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;
import io.miniflow.wechat.WechatClient;

/**
 * A template released to N mini programs through wechat-template-release against the WeChat emulator of the same
 * JVM (audits decided after 500 ms; {@link #latencyMillis()} added to every call), next to the same calls made one mini
 * program at a time in a plain loop, as a person would in a one-appid-at-a-time console. N: -Dbench.releases (default
 * 1000). The subclasses choose the database, the latency and Miniflow's rate limit.
 */
abstract class TemplateReleaseBenchmarkBase {

    private static final int N = Integer.getInteger("bench.releases", 1000);
    private static final int LOOP_SAMPLE = 20;
    private static final int CONCURRENCY = 200;

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    WechatClient client;

    /** "h2" or "mariadb": names the section of docs/benchmarks.md. */
    abstract String database();

    /** Added by the emulator to every call. */
    long latencyMillis() {
        return 0;
    }

    /**
     * The emulators in a JVM of their own (the sandbox-only command) when a subclass starts them, so Miniflow's CPU
     * and the platform's are measured apart; null: the emulators in Miniflow's JVM, as the sandbox profile runs them.
     */
    MiniflowNode platforms() {
        return null;
    }

    /** Miniflow's limit on WeChat calls per second when a subclass sets a low one to make it bind; 0 otherwise. */
    int rateLimitPerSecond() {
        return 0;
    }

    private String section() {
        return "template-release-" + database() + "-" + N + (latencyMillis() > 0 ? "-latency-" + latencyMillis() : "")
            + (rateLimitPerSecond() > 0 ? "-rate-" + rateLimitPerSecond() : "");
    }

    @Test
    void releaseATemplateToManyMiniPrograms() throws Exception {
        MiniflowNode platforms = platforms();
        TemplateReleaseDriver driver = new TemplateReleaseDriver(mvc, jdbc, json, client,
            platforms == null ? port : platforms.port());
        driver.prepareEmulator(N + LOOP_SAMPLE + 100, latencyMillis(), rateLimitPerSecond(), platforms != null);
        long template = driver.firstTemplate();

        List<String> loopApps = driver.authorize(LOOP_SAMPLE);
        double loopSecondsPerMiniProgram = driver.plainLoop(loopApps, template);

        List<String> appIds = driver.authorize(N);
        driver.clearPlatformStats();
        double cpuBefore = ProcessCpu.thisJvmSeconds();
        double platformCpuBefore = platforms == null ? 0 : platforms.cpuSeconds();
        long start = System.nanoTime();
        long batch = driver.startBatch(template, appIds, CONCURRENCY);
        long peakRss = 0;
        while (driver.released(batch) < N) {
            peakRss = Math.max(peakRss, BenchmarkReport.rssMiB());
            Thread.sleep(1000);
            if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException("batch not done after 30 min: " + driver.released(batch) + " of " + N);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = ProcessCpu.thisJvmSeconds() - cpuBefore;
        double platformCpuSeconds = platforms == null ? 0 : platforms.cpuSeconds() - platformCpuBefore;
        TemplateReleaseDriver.PlatformCalls platformCalls = driver.platformCalls();
        driver.noRateLimit();
        driver.latency(0);
        long calls = platformCalls.calls();
        long repeats = platformCalls.repeats();
        long refused = platformCalls.refused();
        long answered = calls - refused;
        long callsPerRelease = Math.round((double) answered / N);
        String limits = rateLimitPerSecond() > 0 ? """
            | Miniflow's rate limit on WeChat calls, and the emulator's | %d / s |
            | calls the emulator refused for going too fast (45011), retried by the engine | %d |
            | lower bound it sets: %d calls per mini program × %d / %d per s | %.1f s |
            | wall time / that bound | %.2f |
            """.formatted(rateLimitPerSecond(), refused, callsPerRelease, N, rateLimitPerSecond(),
            (double) answered / rateLimitPerSecond(), seconds / ((double) answered / rateLimitPerSecond())) : "";
        BenchmarkReport.writeSection(section(), """
            ## WeChat template release: %d mini programs on %s%s%s

            `wechat-template-release` with %d mini programs, concurrency %d, against the WeChat emulator %s over HTTP (%d ms added to every call, each audit decided 500 ms after submission and pushed to
            /wechat/callback), database: %s, Miniflow's job executor settings. Each mini program is one
            wechat-mp-release (commit, domains, privacy, submit, audit push, release, verify) plus the batch's steps
            around it (slot, call, free slot).

            | measure | value |
            |---|---|
            | wall time for %d released | %.1f s |
            | mini programs released / s | %.1f |
            | process CPU time | %.1f s (%.0f%% of 2 cores) |
            %s| platform calls made / repeated | %d / %d |
            %s| peak JVM RSS while the batch ran | %d MiB |
            | the same calls one mini program at a time (plain loop, measured on %d) | %.2f s per mini program, so about %.0f s for %d |

            %s Rerun: `mvn -Pbench verify -Dtest=%s -Dbench.releases=%d` (MariaDB: with TEST_DB_URL, see .ci/run);
            what limits the throughput is in "Reading the release benchmarks" below.
            """.formatted(N, database(), latencyMillis() > 0 ? ", " + latencyMillis() + " ms per call" : "",
            rateLimitPerSecond() > 0 ? ", rate limit " + rateLimitPerSecond() + "/s" : "", N, CONCURRENCY,
            platforms == null ? "in the same JVM" : "in a JVM of its own (sandbox-only)",
            latencyMillis(), database(), N, seconds, N / seconds, cpuSeconds, cpuSeconds * 100 / seconds / 2,
            platforms == null ? "" : "| the emulators' JVM CPU time (not in the line above) | %.1f s, %.1f ms per mini program |\n"
                .formatted(platformCpuSeconds, platformCpuSeconds * 1000 / N),
            calls,
            repeats, limits, peakRss, LOOP_SAMPLE, loopSecondsPerMiniProgram, loopSecondsPerMiniProgram * N, N,
            "h2".equals(database()) ? "The RSS includes the in-memory H2 database with all engine history."
                : "The database runs as its own process; its memory and CPU are not in the figures.",
            getClass().getSimpleName(), N));
    }
}
