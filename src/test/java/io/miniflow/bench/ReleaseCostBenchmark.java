package io.miniflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;
import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;
import io.miniflow.wechat.WechatClient;

/**
 * What a WeChat template release costs per mini program beside what the bare engine costs per instance with the same
 * save points, measured in one run on one database (issue 17): Miniflow is this test context on MariaDB, the
 * emulators run in a JVM of their own, and the CPU of the three processes is read apart. The ratios are the result;
 * the absolute figures move with the machine's load. N: -Dbench.releases (default 1000); -Dbench.latency adds that
 * many milliseconds to every platform call and measures the same calls made one mini program at a time beside it;
 * -Dbench.jfr=file records Miniflow's JVM with Java Flight Recorder (settings "default") while the batch runs, and
 * only then (not the bare engine, not the authorizations before). Not "profile": its allocation and socket events
 * with stack traces doubled the JVM's CPU per mini program here and bent the samples towards code that allocates.
 */
@Tag("bench")
@MySqlIntegrationTest
class ReleaseCostBenchmark {

    private static final int N = Integer.getInteger("bench.releases", 1000);
    private static final long LATENCY_MILLIS = Long.getLong("bench.latency", 0);
    private static final int WARMUP = 200;
    private static final int CONCURRENCY = 200;
    private static final int LOOP_SAMPLE = 20;
    private static final String BARE_KEY = "bench-release-cost-bare";
    private static final Duration GIVE_UP = Duration.ofMinutes(30);
    private static final String JFR_FILE = System.getProperty("bench.jfr", "");

    private static MiniflowNode platforms;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    WechatClient client;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;

    @DynamicPropertySource
    static void platformsElsewhere(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
        platforms = TemplateReleaseDriver.startPlatformsElsewhere(registry, "release-cost-platforms");
    }

    @AfterAll
    static void stopPlatforms() {
        if (platforms != null) {
            platforms.close();
        }
    }

    @Test
    void measureAReleaseBesideTheBareEngine() throws Exception {
        TemplateReleaseDriver driver = new TemplateReleaseDriver(mvc, jdbc, json, client, platforms.port());
        driver.cancelActiveBatches();
        driver.prepareEmulator(N + LOOP_SAMPLE + 100, LATENCY_MILLIS, 0, true);
        long template = driver.firstTemplate();
        OptionalLong databasePid = ProcessCpu.databasePid(jdbc, MySqlDatabase.connection().orElseThrow().url());
        String loadBefore = loadAverage();

        Cost bare = measureTheBareEngine(databasePid);

        List<String> appIds = driver.authorize(N);
        driver.clearPlatformStats();
        Recording recording = JFR_FILE.isBlank() ? null : startRecording();
        Reading start = Reading.now(databasePid);
        long batch = driver.startBatch(template, appIds, CONCURRENCY);
        long peakRss = 0;
        double allReleasedSeconds = 0;
        while (driver.batchStatus(batch).equals("RUNNING")) {
            peakRss = Math.max(peakRss, BenchmarkReport.rssMiB());
            // The batch's own counter (one row), not a count of its released items: five counts a second over
            // 10,000 items were a measurable part of MariaDB's CPU in the release's figures.
            if (allReleasedSeconds == 0 && driver.unfinished(batch) == 0) {
                allReleasedSeconds = (System.nanoTime() - start.nanos()) / 1e9;
            }
            giveUpAfter(start, () -> "batch " + batch + ": " + driver.unfinished(batch) + " of " + N + " not ended");
            Thread.sleep(200);
        }
        Cost release = start.until(Reading.now(databasePid), N);
        if (recording != null) {
            recording.dump(Path.of(JFR_FILE));
            recording.close();
        }
        if (allReleasedSeconds == 0) {
            allReleasedSeconds = release.wallSeconds();
        }
        TemplateReleaseDriver.PlatformCalls calls = driver.platformCalls();
        String loadAfter = loadAverage();

        double loopSecondsPerMiniProgram = 0;
        if (LATENCY_MILLIS > 0) {
            loopSecondsPerMiniProgram = driver.plainLoop(driver.authorize(LOOP_SAMPLE), template);
        }
        driver.latency(0);

        String report = report(bare, release, allReleasedSeconds, calls, peakRss, loopSecondsPerMiniProgram,
            databasePid, loadBefore, loadAfter);
        System.out.println(report);
        // Figures of a release that went wrong are not written down.
        assertThat(driver.released(batch)).as("mini programs released").isEqualTo(N);
        assertThat(driver.batchStatus(batch)).as("the batch's status once all were released").isEqualTo("COMPLETED");
        assertThat(calls.repeats()).as("platform calls repeated").isZero();
        BenchmarkReport.writeSection(section(), report);
    }

    /**
     * Start, three asynchronous steps with a no-op expression, end: one save point per platform step of a mini
     * program's release (commit, submit, release), in this context's engine, so the same database and job executor.
     * Started from one thread after a warm-up; done when every instance has finished.
     */
    private Cost measureTheBareEngine(OptionalLong databasePid) throws InterruptedException {
        BpmnModelInstance pipeline = Bpmn.createExecutableProcess(BARE_KEY).camundaHistoryTimeToLive(1)
            .startEvent("StartEvent_Begin")
            .serviceTask("Task_Commit").camundaAsyncBefore().camundaExpression("${true}")
            .serviceTask("Task_Submit").camundaAsyncBefore().camundaExpression("${true}")
            .serviceTask("Task_Release").camundaAsyncBefore().camundaExpression("${true}")
            .endEvent("EndEvent_Done").done();
        repositoryService.createDeployment().name(BARE_KEY).enableDuplicateFiltering(false)
            .addModelInstance(BARE_KEY + ".bpmn", pipeline).deploy();

        runBare(WARMUP, Reading.now(databasePid));
        Reading start = Reading.now(databasePid);
        runBare(N, start);
        return start.until(Reading.now(databasePid), N);
    }

    private void runBare(int count, Reading start) throws InterruptedException {
        long finishedBefore = finishedBare();
        for (int i = 0; i < count; i++) {
            // Not a Miniflow process: ProtectedVariables has no declaration for it and lets the start through.
            runtimeService.startProcessInstanceByKey(BARE_KEY, Map.of("workspace", "Demo"));
        }
        while (finishedBare() < finishedBefore + count) {
            giveUpAfter(start, () -> (finishedBare() - finishedBefore) + " of " + count + " bare instances finished");
            Thread.sleep(200);
        }
    }

    private long finishedBare() {
        return historyService.createHistoricProcessInstanceQuery().processDefinitionKey(BARE_KEY).finished().count();
    }

    private static Recording startRecording() throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("default"));
        recording.start();
        return recording;
    }

    private static void giveUpAfter(Reading start, Supplier<String> progress) {
        if (System.nanoTime() - start.nanos() > GIVE_UP.toNanos()) {
            throw new IllegalStateException("not done after " + GIVE_UP.toMinutes() + " min: " + progress.get());
        }
    }

    private static String section() {
        return "release-cost-" + N + (LATENCY_MILLIS > 0 ? "-latency-" + LATENCY_MILLIS : "");
    }

    private String report(Cost bare, Cost release, double allReleasedSeconds, TemplateReleaseDriver.PlatformCalls calls,
                          long peakRss, double loopSecondsPerMiniProgram, OptionalLong databasePid, String loadBefore,
                          String loadAfter) {
        StringBuilder table = new StringBuilder("""
            | per instance / per mini program | bare engine | Miniflow release | Miniflow ÷ bare |
            |---|---|---|---|
            """);
        table.append(row("wall time", bare.wallSeconds(), release.wallSeconds()));
        table.append("| instances / mini programs per s | %.1f | %.1f | **%.2f** (throughput, target ≥ 0.5) |\n"
            .formatted(bare.perSecond(), release.perSecond(), release.perSecond() / bare.perSecond()));
        table.append(row("Miniflow's JVM CPU", bare.miniflowCpu(), release.miniflowCpu()));
        table.append(row("MariaDB's CPU", bare.databaseCpu(), release.databaseCpu()));
        table.append(row("**JVM + MariaDB CPU**", bare.engineCpu(), release.engineCpu()));
        table.append("| emulators' JVM CPU (WeChat's side, in no ratio) | %s | %s | |\n"
            .formatted(ms(bare.emulatorCpu(), N), ms(release.emulatorCpu(), N)));

        String latency = LATENCY_MILLIS == 0 ? "" : """
            | the same calls one mini program at a time (plain loop on %d) | %.2f s per mini program, so about %.0f s for %d |
            | **Miniflow ÷ sequential** (speed-up, target ≥ 20) | **%.1f×** |
            """.formatted(LOOP_SAMPLE, loopSecondsPerMiniProgram, loopSecondsPerMiniProgram * N, N,
            loopSecondsPerMiniProgram * N / release.wallSeconds());
        return """
            ## A template release's cost beside the bare engine: %d mini programs%s

            One run, one MariaDB, one job executor (issue 17). **Bare engine:** %d instances of start → 3 `asyncBefore`
            service tasks with a no-op expression → end (one save point per platform step of a release: commit,
            submit, release), started from one thread through RuntimeService after %d warm-up instances, in
            Miniflow's own engine. **Miniflow release:** `POST /api/wechat/releases` as mpadmin with %d mini programs
            (authorized beforehand, not measured), concurrency %d, against the WeChat emulator in a JVM of its own
            (%d ms added to every call, each audit decided 500 ms after submission and pushed). Each measured from the
            first start until all were done (the bare instances finished; the batch COMPLETED in mf_release_batch).
            CPU is each process's own: this JVM (Miniflow, with its idle work), mariadbd (%s), the emulators' JVM.

            %s
            | totals | bare engine | Miniflow release |
            |---|---|---|
            | wall time | %.1f s | %.1f s (all released after %.1f s) |
            | Miniflow's JVM CPU | %.1f s | %.1f s |
            | MariaDB's CPU | %s | %s |
            | emulators' JVM CPU | %.1f s | %.1f s |

            | Miniflow release | value |
            |---|---|
            | platform calls made / repeated | %d / %d (%.1f per mini program) |
            | peak RSS of Miniflow's JVM while the batch ran | %d MiB |
            %s| load average (1, 5, 15 min) before → after | %s → %s |

            Rerun: `mvn -Pbench verify -Dtest=ReleaseCostBenchmark -Dbench.releases=%d%s` with TEST_DB_URL set to a
            MariaDB on this machine (see .ci/run), so its CPU can be read from /proc.
            """.formatted(N, LATENCY_MILLIS > 0 ? ", " + LATENCY_MILLIS + " ms per call" : "", N, WARMUP, N,
            CONCURRENCY, LATENCY_MILLIS, databasePid.isPresent() ? "pid " + databasePid.getAsLong() : "not found here",
            table, bare.wallSeconds(), release.wallSeconds(), allReleasedSeconds, bare.miniflowCpu(),
            release.miniflowCpu(), seconds(bare.databaseCpu()), seconds(release.databaseCpu()), bare.emulatorCpu(),
            release.emulatorCpu(), calls.calls(), calls.repeats(), (double) calls.calls() / N, peakRss, latency,
            loadBefore, loadAfter, N, LATENCY_MILLIS > 0 ? " -Dbench.latency=" + LATENCY_MILLIS : "");
    }

    private static String row(String measure, double bareSeconds, double releaseSeconds) {
        String ratio = Double.isNaN(bareSeconds) || Double.isNaN(releaseSeconds) ? "n/a"
            : "%.2f".formatted(releaseSeconds / bareSeconds);
        return "| %s | %s | %s | %s |\n".formatted(measure, ms(bareSeconds, N), ms(releaseSeconds, N), ratio);
    }

    /** Seconds of a whole run as milliseconds per instance. */
    private static String ms(double seconds, int count) {
        return Double.isNaN(seconds) ? "n/a" : "%.1f ms".formatted(seconds * 1000 / count);
    }

    private static String seconds(double seconds) {
        return Double.isNaN(seconds) ? "n/a" : "%.1f s".formatted(seconds);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The wall clock and the CPU each process has used so far; the database's NaN where it cannot be read. */
    private record Reading(long nanos, double miniflowCpu, double databaseCpu, double emulatorCpu) {

        static Reading now(OptionalLong databasePid) {
            double database = databasePid.isPresent() ? ProcessCpu.seconds(databasePid.getAsLong()) : -1;
            return new Reading(System.nanoTime(), ProcessCpu.thisJvmSeconds(), database < 0 ? Double.NaN : database,
                platforms.cpuSeconds());
        }

        Cost until(Reading end, int count) {
            return new Cost(count, (end.nanos - nanos) / 1e9, end.miniflowCpu - miniflowCpu,
                end.databaseCpu - databaseCpu, end.emulatorCpu - emulatorCpu);
        }
    }

    /** What a run of {@code count} instances or mini programs took, in seconds. */
    private record Cost(int count, double wallSeconds, double miniflowCpu, double databaseCpu, double emulatorCpu) {

        double perSecond() {
            return count / wallSeconds;
        }

        /** What the engine's side costs: Miniflow's JVM and its database (NaN where the database's is unknown). */
        double engineCpu() {
            return miniflowCpu + databaseCpu;
        }
    }
}
