package io.miniflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;

/**
 * Issue #14's benchmark: N environments (-Dbuild.bench.count, default 50) built at once, each the test environment
 * of its own cloud app on the starter plan. All builds are requested, then every order is paid through the
 * emulator's pay control, then the benchmark waits until every environment is READY. Miniflow runs as a JVM of its
 * own on MariaDB (TEST_DB_URL), the emulators in another, so the CPU of each is read apart. Correctness is asserted
 * (every environment READY, one instance bought per build, no ClientToken repeated, no incident); timings are only
 * reported.
 */
@Tag("bench")
class EnvironmentBuildBenchmark {

    private static final int N = Integer.getInteger("build.bench.count", 50);
    private static final int WARM_UP = 3;
    private static final long STARTING_MILLIS = 2000;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Path ACCESS_LOG = Path.of("target/build-bench-access").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Closed by the test itself (finally), so that a failed run leaves no JVM behind. */
    private final List<MiniflowNode> nodes = new ArrayList<>();
    private MiniflowNode platforms;
    private MiniflowNode miniflow;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;

    @Test
    void buildManyStarterEnvironmentsAtOnceUntilEveryOneIsReady() throws Exception {
        dbUrl = System.getenv("TEST_DB_URL");
        assumeTrue(dbUrl != null && !dbUrl.isBlank(), "needs TEST_DB_URL: a MariaDB for the Miniflow node "
            + "(start one as .ci/run does)");
        dbUser = System.getenv().getOrDefault("TEST_DB_USER", "miniflow");
        dbPassword = System.getenv().getOrDefault("TEST_DB_PASSWORD", "");
        try (Connection db = DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            assumeTrue(db.isValid(5), "the database " + dbUrl + " does not answer");
        } catch (SQLException e) {
            assumeTrue(false, "no MariaDB reachable at " + dbUrl + ": " + e.getMessage());
        }
        try {
            run();
        } finally {
            nodes.forEach(MiniflowNode::close);
        }
    }

    private void run() throws Exception {
        deleteAccessLogs();
        int miniflowPort = MiniflowNode.freePort();
        platforms = MiniflowNode.startEmulators("build-bench-platforms", "1g", miniflowPort, List.of(
            // The WeChat Pay emulator counts nothing itself: its HTTP access log is read instead.
            "--server.tomcat.accesslog.enabled=true",
            "--server.tomcat.accesslog.directory=" + ACCESS_LOG,
            "--server.tomcat.accesslog.prefix=emulators",
            "--server.tomcat.accesslog.suffix=.log",
            "--server.tomcat.accesslog.buffered=false",
            "--server.tomcat.accesslog.pattern=%m %U %s"));
        nodes.add(platforms);
        miniflow = MiniflowNode.start("build-bench", "1g", miniflowPort, dbUrl, dbUser, dbPassword,
            MiniflowNode.usingEmulatorsAt(platforms));
        nodes.add(miniflow);
        String database = queryString("SELECT VERSION()");
        long databasePid = databasePid();

        applyAliyunSettings();
        build("warm", WARM_UP);

        platforms.send("DELETE", "/sandbox/admin/aliyun", null, null);
        applyAliyunSettings();
        long accessLinesBefore = accessLog().size();
        long jobsBefore = jobLog(2);
        long failedBefore = jobLog(1);
        double cpuBefore = miniflow.cpuSeconds();
        double platformCpuBefore = platforms.cpuSeconds();
        double databaseCpuBefore = cpuSecondsOf(databasePid);
        Run run = build("bench", N);
        double cpuSeconds = miniflow.cpuSeconds() - cpuBefore;
        double platformCpuSeconds = platforms.cpuSeconds() - platformCpuBefore;
        double databaseCpuSeconds = databasePid > 0 ? cpuSecondsOf(databasePid) - databaseCpuBefore : -1;
        long jobs = jobLog(2) - jobsBefore;
        long failedJobs = jobLog(1) - failedBefore;
        long rss = miniflow.rssMiB();
        long platformRss = platforms.rssMiB();

        JsonNode aliyunStats = platforms.send("GET", "/sandbox/admin/aliyun/stats", null, null);
        StringBuilder aliyunRows = new StringBuilder();
        long aliyunCalls = 0;
        long aliyunRepeats = 0;
        long aliyunErrors = 0;
        for (var it = aliyunStats.fields(); it.hasNext(); ) {
            var action = it.next();
            JsonNode s = action.getValue();
            aliyunCalls += s.get("calls").asLong();
            aliyunRepeats += s.get("clientTokenRepeats").asLong();
            aliyunErrors += s.get("errors").asLong();
            aliyunRows.append("| `").append(action.getKey()).append("` | ").append(s.get("calls").asLong())
                .append(" | ").append(String.format("%.2f", s.get("calls").asDouble() / N)).append(" | ")
                .append(s.get("created").asLong()).append(" | ").append(s.get("errors").asLong()).append(" | ")
                .append(s.get("clientTokenRepeats").asLong()).append(" |\n");
        }
        long bought = aliyunStats.path("RunInstances").path("created").asLong();

        Map<String, Long> payCalls = wechatPayCalls(accessLog().subList((int) accessLinesBefore, accessLog().size()),
            run.outTradeNos());
        long payTotal = payCalls.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder payRows = new StringBuilder();
        payCalls.forEach((call, count) -> payRows.append("| `").append(call).append("` | ").append(count)
            .append(" | ").append(String.format("%.2f", (double) count / N)).append(" |\n"));
        long notifications = 0;
        for (String outTradeNo : run.outTradeNos()) {
            notifications += platforms.send("GET", "/sandbox/admin/wechatpay/orders/" + outTradeNo
                + "/notifications", null, null).size();
        }

        Map<String, Long> jobsPerActivity = jobsPerActivity(run.processInstanceIds());
        StringBuilder jobRows = new StringBuilder();
        jobsPerActivity.forEach((activity, count) -> jobRows.append("| `").append(activity).append("` | ")
            .append(count).append(" | ").append(String.format("%.2f", (double) count / N)).append(" |\n"));
        long incidents = queryLong("SELECT COUNT(*) FROM ACT_RU_INCIDENT");
        long notReady = N - ready(run.prefix());

        String section = """
            ## Environment build: %d starter environments at once on MariaDB

            %d cloud apps (Spring Boot), each with its test environment built on the starter plan (1 ECS
            `ecs.t5-lc1m2.small`, MySQL installed on it through Cloud Assistant, an automatic domain in DNS), 1 month:
            all %d builds requested (`POST /api/cloud-apps/{app}/environments/test/builds`, one after the other),
            then, once every order had its `code_url`, all %d orders paid through the emulator
            (`POST /sandbox/admin/wechatpay/orders/{outTradeNo}/pay`, the signed notification going to Miniflow),
            then waited until every environment was `READY` (read from the database every 500 ms). After a warm-up
            of %d builds through the same flow.

            Configured: Miniflow as a JVM of its own (-Xmx1g) on %s (its own process), the emulators in another
            (sandbox-only, -Xmx1g, in-memory H2). Aliyun emulator: a 2 s instance start-up (`pendingMillis` 0,
            `startingMillis` %d), Cloud Assistant commands done after 1 s (`commandMillis`, default), no latency,
            no faults. Miniflow's defaults: instances checked every 10 s (`miniflow.cloud.build.instance-poll-interval`),
            the installation every 5 s (`command-poll-interval`), the job executor's defaults. The test JVM only
            sends the requests.

            | measure | value |
            |---|---|
            | wall time, first build requested → all %d READY | %.1f s |
            | of which requesting (all %d answered 202) | %.1f s |
            | then until every order had its code_url | %.1f s |
            | then paying (all %d pay controls answered) | %.1f s |
            | then until all READY | %.1f s |
            | a build, paid → READY: median / slowest | %.1f s / %.1f s |
            | Miniflow JVM CPU | %.1f s (%.0f%% of 2 cores), %.0f ms per build |
            | the emulators' JVM CPU | %.1f s, %.0f ms per build |
            | MariaDB CPU (mariadbd, pid %s) | %s |
            | RSS after the run: Miniflow / the emulators | %d / %d MiB |
            | Aliyun calls made / errors / answered from a ClientToken (repeated) | %d (%.1f per build) / %d / %d |
            | ECS instances bought (RunInstances `created`) | %d for %d builds |
            | WeChat Pay API calls (the emulator's access log) | %d (%.1f per build) |
            | payment notifications sent to Miniflow | %d |
            | engine jobs executed (successful, from the job log) / failed attempts retried | %d (%.1f per build) / %d |
            | environments not READY at the end / open incidents | %d / %d |

            Aliyun calls per action (the emulator's `GET /sandbox/admin/aliyun/stats`, measured run only; a repeated
            creation would show in the last column):

            | action | calls | per build | created | errors | ClientToken repeats |
            |---|---|---|---|---|---|
            %s

            WeChat Pay API calls (`/sandbox/wechatpay/...` lines of the emulators' access log, measured run only;
            out_trade_no shown as `{no}`; a second order for a build would show as more than one native order per
            build):

            | call | count | per build |
            |---|---|---|
            %s

            Engine jobs per activity (ACT_HI_JOB_LOG, successful, the measured builds' process instances):

            | activity | jobs | per build |
            |---|---|---|
            %s

            The wall time is dominated by Miniflow's poll intervals (10 s for the servers, 5 s for the installation),
            not by CPU: a build waits for one instance poll at least (the 2 s start-up) and one command poll.

            Rerun: start MariaDB as .ci/run does and set TEST_DB_URL (without one the benchmark skips), then
            `mvn -o -Pbench verify -Dtest=EnvironmentBuildBenchmark` (`-Dbuild.bench.count=50`).
            """.formatted(N, N, N, N, WARM_UP, database, STARTING_MILLIS, N, run.seconds(), N,
            run.requestingSeconds(), run.ordersSeconds(), N, run.payingSeconds(), run.readySeconds(),
            run.medianPaidToReady(), run.slowestPaidToReady(), cpuSeconds, cpuSeconds * 100 / run.seconds() / 2,
            cpuSeconds * 1000 / N, platformCpuSeconds, platformCpuSeconds * 1000 / N,
            databasePid > 0 ? databasePid : "unknown",
            databaseCpuSeconds >= 0 ? "%.1f s, %.0f ms per build".formatted(databaseCpuSeconds,
                databaseCpuSeconds * 1000 / N) : "not readable (no pid file on this machine)",
            rss, platformRss, aliyunCalls, (double) aliyunCalls / N, aliyunErrors, aliyunRepeats, bought, N,
            payTotal, (double) payTotal / N, notifications, jobs, (double) jobs / N, failedJobs, notReady, incidents,
            aliyunRows.toString().strip(), payRows.toString().strip(), jobRows.toString().strip());
        System.out.println(section);

        assertThat(notReady).as("environments not READY").isZero();
        assertThat(bought).as("instances bought, one per starter build").isEqualTo(N);
        assertThat(aliyunRepeats).as("Aliyun creations answered from a ClientToken").isZero();
        assertThat(incidents).as("open incidents").isZero();
        BenchmarkReport.writeSection("environment-build-" + N, section);
    }

    /** What one round measured: its builds and the time of each phase. */
    private record Run(String prefix, List<String> outTradeNos, List<String> processInstanceIds, double seconds,
                       double requestingSeconds, double ordersSeconds, double payingSeconds, double readySeconds,
                       double medianPaidToReady, double slowestPaidToReady) {
    }

    /** Creates n cloud apps (not timed), then requests, pays and waits for n starter test environments. */
    private Run build(String name, int n) throws Exception {
        String prefix = name + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String app = prefix + "a" + i;
            apps.add(app);
            miniflow.send("POST", "/api/cloud-apps", JSON.writeValueAsString(Map.of("workspace", "Demo", "name", app,
                "runtime", "SPRING_BOOT", "description", "benchmark")), "admin");
        }
        List<String> outTradeNos = new ArrayList<>();
        List<String> processes = new ArrayList<>();
        long start = System.nanoTime();
        for (String app : apps) {
            JsonNode started = miniflow.send("POST", "/api/cloud-apps/" + app + "/environments/test/builds",
                JSON.writeValueAsString(Map.of("plan", "STARTER", "months", 1)), "admin");
            outTradeNos.add(started.get("outTradeNo").asText());
            processes.add(started.get("processInstanceId").asText());
        }
        long requested = System.nanoTime();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> queryLong(
            "SELECT COUNT(*) FROM mf_cloud_order o JOIN mf_cloud_env e ON e.id = o.env_id JOIN mf_cloud_app a"
                + " ON a.id = e.app_id WHERE a.name LIKE '" + prefix + "%' AND o.code_url IS NOT NULL") == n);
        long ordered = System.nanoTime();
        for (String outTradeNo : outTradeNos) {
            platforms.send("POST", "/sandbox/admin/wechatpay/orders/" + outTradeNo + "/pay", "{}", null);
        }
        long paid = System.nanoTime();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> ready(prefix) == n);
        long end = System.nanoTime();
        List<Double> paidToReady = paidToReadySeconds(prefix);
        System.out.printf("%s: %d environments READY in %.1f s%n", name, n, (end - start) / 1e9);
        return new Run(prefix, outTradeNos, processes, (end - start) / 1e9, (requested - start) / 1e9,
            (ordered - requested) / 1e9, (paid - ordered) / 1e9, (end - paid) / 1e9,
            paidToReady.get(paidToReady.size() / 2), paidToReady.get(paidToReady.size() - 1));
    }

    private void applyAliyunSettings() throws Exception {
        platforms.send("PUT", "/sandbox/admin/aliyun/settings",
            "{\"pendingMillis\":0,\"startingMillis\":" + STARTING_MILLIS + "}", null);
    }

    private long ready(String prefix) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM mf_cloud_env e JOIN mf_cloud_app a ON a.id = e.app_id"
            + " WHERE a.name LIKE '" + prefix + "%' AND e.env = 'test' AND e.status = 'READY'");
    }

    /** Per build, from its payment step's record to its end, sorted. */
    private List<Double> paidToReadySeconds(String prefix) throws SQLException {
        List<Double> seconds = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             ResultSet rs = c.createStatement().executeQuery(
                 "SELECT TIMESTAMPDIFF(MICROSECOND, p.paid_at, b.ended_at) FROM mf_cloud_build b"
                     + " JOIN mf_cloud_env e ON e.id = b.env_id JOIN mf_cloud_app a ON a.id = e.app_id"
                     + " JOIN (SELECT build_id, MIN(occurred_at) paid_at FROM mf_cloud_build_step"
                     + " WHERE step = 'payment' GROUP BY build_id) p ON p.build_id = b.id"
                     + " WHERE a.name LIKE '" + prefix + "%' ORDER BY 1")) {
            while (rs.next()) {
                seconds.add(rs.getLong(1) / 1e6);
            }
        }
        if (seconds.isEmpty()) {
            seconds.add(Double.NaN);
        }
        return seconds;
    }

    /** WeChat Pay API calls by method and path, each build's out_trade_no written as {no}. */
    private static Map<String, Long> wechatPayCalls(List<String> lines, List<String> outTradeNos) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts.length < 2 || !parts[1].startsWith("/sandbox/wechatpay/")) {
                continue;
            }
            String path = parts[1];
            for (String no : outTradeNos) {
                path = path.replace(no, "{no}");
            }
            calls.merge(parts[0] + " " + path, 1L, Long::sum);
        }
        return calls;
    }

    private static List<String> accessLog() throws IOException {
        if (!Files.isDirectory(ACCESS_LOG)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(ACCESS_LOG)) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    private static void deleteAccessLogs() throws IOException {
        if (Files.isDirectory(ACCESS_LOG)) {
            try (Stream<Path> files = Files.list(ACCESS_LOG)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private Map<String, Long> jobsPerActivity(List<String> processInstanceIds) throws SQLException {
        Map<String, Long> jobs = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             ResultSet rs = c.createStatement().executeQuery("SELECT ACT_ID_, COUNT(*) FROM ACT_HI_JOB_LOG"
                 + " WHERE JOB_STATE_ = 2 AND PROCESS_INSTANCE_ID_ IN ('" + String.join("','", processInstanceIds)
                 + "') GROUP BY ACT_ID_")) {
            while (rs.next()) {
                jobs.put(rs.getString(1), rs.getLong(2));
            }
        }
        return jobs;
    }

    private long jobLog(int state) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = " + state);
    }

    private long queryLong(String sql) throws SQLException {
        return miniflow.queryLong(sql);
    }

    private String queryString(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The database server's pid, read from its pid file where it runs on this machine; -1 otherwise. */
    private long databasePid() {
        try {
            return Long.parseLong(Files.readString(Path.of(queryString("SELECT @@pid_file"))).trim());
        } catch (SQLException | IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double cpuSecondsOf(long pid) {
        return pid <= 0 ? -1 : ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
            .map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }
}
