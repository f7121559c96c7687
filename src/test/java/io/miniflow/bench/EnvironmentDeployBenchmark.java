package io.miniflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloudapp.TestEnvironments;
import io.miniflow.cloudapp.deploy.DeploySettings;
import io.miniflow.cloudapp.pkg.TestPackages;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * Issue 15's benchmark: environment-deploy through the API against the emulators of the same JVM (the test database:
 * in-memory H2, or MariaDB with TEST_DB_URL).
 * First one rolling deploy across the 20 servers of a standard environment; then 20 standard environments of 2
 * servers each deployed at once, beside one such environment deployed alone in the same run. The environments are
 * made READY by {@link TestEnvironments} (not timed). While a deploy runs, the JVM's threads are sampled to show
 * what the deploys wait for: the job executor's threads, and the Aliyun emulator's one lock, under which it also
 * fetches the package of an install. Only correctness is asserted (every deploy SUCCEEDED, no incident).
 */
@Tag("bench")
@MiniflowIntegrationTest
// Measured as production runs it: the default health timeout (not application-test.yml's PT4S, kept short there for the
// unhealthy-version test), and Camunda's default acquisition waits (not the tests' 500 ms), so a due timer waits for
// the idle job executor as it does in production.
@TestPropertySource(properties = {"miniflow.cloud.deploy.health-timeout=PT2M",
    "camunda.bpm.job-execution.wait-time-in-millis=5000", "camunda.bpm.job-execution.max-wait=60000"})
class EnvironmentDeployBenchmark {

    private static final int ROLLING_SERVERS = Integer.getInteger("deploy.bench.servers", 20);
    private static final int ENVIRONMENTS = Integer.getInteger("deploy.bench.environments", 20);
    private static final int SERVERS_EACH = 2;
    private static final int ALONE_RUNS = 2;
    private static final String EMULATOR_SETTINGS =
        "{\"pendingMillis\":100,\"startingMillis\":100,\"commandMillis\":200,\"appStartMillis\":300}";
    private static final long SAMPLE_MILLIS = 100;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    DeploySettings deploySettings;
    @Autowired
    DataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();
    private WechatSandboxHttp sandbox;
    private TestEnvironments environments;

    @Test
    void deployAcrossTwentyServersAndTwentyEnvironmentsAtOnce() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.delete("/sandbox/admin/aliyun");
        sandbox.put("/sandbox/admin/aliyun/settings", EMULATOR_SETTINGS);
        environments = new TestEnvironments(context);

        deploy(prepare("warm", 1, SERVERS_EACH));
        Run rolling = deploy(prepare("roll", 1, ROLLING_SERVERS));
        List<Run> alone = new ArrayList<>();
        for (int i = 0; i < ALONE_RUNS; i++) {
            alone.add(deploy(prepare("alone", 1, SERVERS_EACH)));
        }
        Run together = deploy(prepare("many", ENVIRONMENTS, SERVERS_EACH));

        Run single = mean(alone);
        double speedUp = ENVIRONMENTS * single.seconds() / together.seconds();
        int cores = Runtime.getRuntime().availableProcessors();
        String database;
        try (var c = dataSource.getConnection()) {
            database = c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }

        String section = """
            ## Environment deploy: one rolling deploy across %d servers, and %d environments deployed at once

            `environment-deploy` requested through the API (`POST /api/cloud-apps/{app}/environments/test/deploys`,
            a Spring Boot jar of %d bytes uploaded before) and followed until `SUCCEEDED`; wall times from the order's
            `requested_at` to its `ended_at`. Each server in turn: weight 0 on the SLB, drain, the install command
            through Cloud Assistant (the emulated server fetches the package from Miniflow over HTTP and checks its
            SHA-256), health checks through Cloud Assistant until healthy, weight 100. The environments are standard
            ones made READY by TestEnvironments (not timed); every deploy is the first of its environment.

            Configured: Miniflow, the emulators and the test in one JVM on %s (the CPU below is that JVM's,
            all three together: `OperatingSystemMXBean.getProcessCpuTime`), Miniflow's job executor settings
            (application.yml: 4 core threads, 10 at most, a queue of 20; Camunda's acquisition defaults). Aliyun
            emulator: `commandMillis` 200, `appStartMillis` 300 (a command done 0.2 s after it was sent, an installed
            app answering 0.5 s after its install), no latency, no faults. Deploy settings of application-test.yml:
            drain %s, install checked every %s, health every %s; the health timeout at its default %s instead of the
            test's PT4S ("Reading the environment deploy benchmark" below). Threads and due jobs sampled every %d ms. After a warm-up deploy of
            one environment of %d servers.

            ### One rolling deploy across %d servers

            | measure | value |
            |---|---|
            | wall time, requested → SUCCEEDED | %.1f s |
            | per server (wall time ÷ %d) | %.2f s |
            | a server, out of the SLB → back in (mean of its step's start → end) | %.2f s |
            | health checks per server (mean) | %.1f |
            | JVM CPU | %.1f s (%.0f%% of %d cores), %.0f ms per server |
            | Aliyun calls / errors | %d (%.1f per server) / %d |
            | engine jobs executed (successful, job log) / failed attempts | %d (%.1f per server) / %d |
            | a job, due → done: mean / slowest | %.2f s / %.2f s |
            | the jobs' due → done, summed (they run one after the other) | %.1f s, %.0f%% of the wall time |
            | job executor threads running a job (sampled): mean / peak | %.2f / %d |
            | jobs due and not yet taken by the job executor (sampled): mean / peak | %.2f / %d |

            Aliyun calls per action (`GET /sandbox/admin/aliyun/stats`, after − before):

            | action | calls | per server |
            |---|---|---|
            %s

            Engine jobs per activity (ACT_HI_JOB_LOG, successful):

            | activity | jobs | per server |
            |---|---|---|
            %s

            ### %d environments of %d servers deployed at once, beside one alone

            The %d deploys were requested one after the other (%.2f s for all %d), then awaited together. In the same
            run, before them, %d environments of %d servers were deployed alone, one after the other ("alone" below:
            their mean; each: %s s).

            | measure | one alone | %d at once |
            |---|---|---|
            | wall time | %.2f s | %.1f s (first requested → last SUCCEEDED) |
            | a deploy, requested → SUCCEEDED: median / slowest | %.2f s | %.1f s / %.1f s |
            | JVM CPU | %.2f s | %.1f s (%.0f%% of %d cores) |
            | JVM CPU per deploy | %.0f ms | %.0f ms |
            | Aliyun calls per deploy | %.1f | %.1f |
            | engine jobs per deploy (successful) / failed attempts | %.1f / %d | %.1f / %d |
            | a job, due → done: mean / slowest | %.2f s / %.2f s | %.2f s / %.2f s |
            | job executor threads running a job (sampled): mean / peak | %.2f / %d | %.2f / %d |
            | jobs due and not yet taken by the job executor (sampled): mean / peak | %.2f / %d | %.2f / %d |
            | threads waiting for the Aliyun emulator's lock (sampled): mean / peak | %.2f / %d | %.2f / %d |
            | samples with the emulator's lock held / with a package fetch under it | %.0f%% / %.0f%% | %.0f%% / %.0f%% |

            **Speed-up from deploying them together: %d × %.2f s ÷ %.1f s = %.1f** (%d would be full overlap).
            CPU per deploy at once ÷ alone: %.0f ms ÷ %.0f ms = %.2f.

            Rerun: `mvn -o -Pbench verify -Dtest=EnvironmentDeployBenchmark` (`-Ddeploy.bench.servers=20`,
            `-Ddeploy.bench.environments=20`); about six minutes after the Spring context starts, almost four of them
            the rolling deploy (`-Ddeploy.bench.servers=5` for a quick look).
            """.formatted(ROLLING_SERVERS, ENVIRONMENTS, TestPackages.bootJar().length,
            database, deploySettings.drain(), deploySettings.commandPollInterval(), deploySettings.healthPollInterval(),
            deploySettings.healthTimeout(), SAMPLE_MILLIS, SERVERS_EACH,
            ROLLING_SERVERS,
            rolling.seconds(), ROLLING_SERVERS, rolling.seconds() / ROLLING_SERVERS, rolling.meanServerSeconds(),
            rolling.meanHealthChecks(), rolling.cpuSeconds(), rolling.cpuSeconds() * 100 / rolling.seconds() / cores,
            cores, rolling.cpuSeconds() * 1000 / ROLLING_SERVERS, rolling.calls(),
            (double) rolling.calls() / ROLLING_SERVERS, rolling.errors(), rolling.jobs(),
            (double) rolling.jobs() / ROLLING_SERVERS, rolling.failedJobs(), rolling.meanJobWait(),
            rolling.maxJobWait(), rolling.totalJobWait(), rolling.totalJobWait() * 100 / rolling.seconds(),
            rolling.threads().meanJobsRunning(), rolling.threads().peakJobsRunning(),
            rolling.threads().meanJobsDue(), rolling.threads().peakJobsDue(),
            rows(rolling.callsPerAction(), ROLLING_SERVERS), rows(rolling.jobsPerActivity(), ROLLING_SERVERS),
            ENVIRONMENTS, SERVERS_EACH, ENVIRONMENTS, together.requestingSeconds(), ENVIRONMENTS, ALONE_RUNS,
            SERVERS_EACH, String.join(" / ", alone.stream().map(r -> "%.2f".formatted(r.seconds())).toList()),
            ENVIRONMENTS,
            single.seconds(), together.seconds(),
            single.seconds(), together.medianDeploySeconds(), together.slowestDeploySeconds(),
            single.cpuSeconds(), together.cpuSeconds(), together.cpuSeconds() * 100 / together.seconds() / cores, cores,
            single.cpuSeconds() * 1000, together.cpuSeconds() * 1000 / ENVIRONMENTS,
            (double) single.calls(), (double) together.calls() / ENVIRONMENTS,
            (double) single.jobs(), single.failedJobs(), (double) together.jobs() / ENVIRONMENTS,
            together.failedJobs(),
            single.meanJobWait(), single.maxJobWait(), together.meanJobWait(), together.maxJobWait(),
            single.threads().meanJobsRunning(), single.threads().peakJobsRunning(),
            together.threads().meanJobsRunning(), together.threads().peakJobsRunning(),
            single.threads().meanJobsDue(), single.threads().peakJobsDue(),
            together.threads().meanJobsDue(), together.threads().peakJobsDue(),
            single.threads().meanLockWaiters(), single.threads().peakLockWaiters(),
            together.threads().meanLockWaiters(), together.threads().peakLockWaiters(),
            single.threads().lockHeldPercent(), single.threads().fetchPercent(),
            together.threads().lockHeldPercent(), together.threads().fetchPercent(),
            ENVIRONMENTS, single.seconds(), together.seconds(), speedUp, ENVIRONMENTS,
            together.cpuSeconds() * 1000 / ENVIRONMENTS, single.cpuSeconds() * 1000,
            together.cpuSeconds() / ENVIRONMENTS / single.cpuSeconds());
        System.out.println(section);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT").query(Long.class).single()).as("open incidents")
            .isZero();
        BenchmarkReport.writeSection("environment-deploy", section);
    }

    /** What one round of deploys measured. */
    private record Run(double seconds, double requestingSeconds, double medianDeploySeconds,
                       double slowestDeploySeconds, double meanServerSeconds, double meanHealthChecks,
                       double cpuSeconds, long calls, long errors, Map<String, Long> callsPerAction, long jobs,
                       long failedJobs, Map<String, Long> jobsPerActivity, double meanJobWait,
                       double maxJobWait, double totalJobWait, Sampler threads) {
    }

    /** Creates n cloud apps, each with its test environment READY on {@code servers} servers and v1 uploaded. */
    private List<String> prepare(String name, int n, int servers) throws Exception {
        String prefix = name + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String app = prefix + "a" + i;
            mvc.perform(post("/api/cloud-apps").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"workspace\":\"Demo\",\"name\":\"" + app + "\",\"runtime\":\"SPRING_BOOT\"}")
                    .with(httpBasic("admin", "admin")))
                .andExpect(status().isCreated());
            environments.ready(app, "test", servers);
            mvc.perform(multipart("/api/cloud-apps/{a}/packages", app)
                    .file(new MockMultipartFile("file", "shop.jar", "application/java-archive", TestPackages.bootJar()))
                    .param("version", "v1").with(httpBasic("developer", "developer")))
                .andExpect(status().isCreated());
            apps.add(app);
        }
        return apps;
    }

    /** Requests v1 on every app's test environment, one after the other, and waits until all have ended. */
    private Run deploy(List<String> apps) throws Exception {
        Map<String, JsonNode> statsBefore = stats();
        long jobsBefore = jobLog(2);
        long failedBefore = jobLog(1);
        double cpuBefore = cpuSeconds();
        Sampler sampler = new Sampler(jdbc);
        List<String> deployNos = new ArrayList<>();
        List<String> processes = new ArrayList<>();
        long start = System.nanoTime();
        for (String app : apps) {
            JsonNode started = json.readTree(mvc.perform(post("/api/cloud-apps/{a}/environments/test/deploys", app)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"packageVersion\":\"v1\"}")
                    .with(httpBasic("developer", "developer")))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
            deployNos.add(started.get("deployId").asText());
            processes.add(started.get("processInstanceId").asText());
        }
        double requesting = (System.nanoTime() - start) / 1e9;
        String in = "('" + String.join("','", deployNos) + "')";
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM mf_cloud_deploy WHERE deploy_no IN " + in + " AND ended_at IS NOT NULL")
            .query(Long.class).single() == apps.size());
        double cpu = cpuSeconds() - cpuBefore;
        sampler.stop();
        long jobs = jobLog(2) - jobsBefore;
        long failed = jobLog(1) - failedBefore;

        List<String> notSucceeded = jdbc.sql("SELECT CONCAT(deploy_no, ' ', status, ' ', COALESCE(reason, ''))"
            + " FROM mf_cloud_deploy WHERE deploy_no IN " + in + " AND status <> 'SUCCEEDED'").query(String.class)
            .list();
        assertThat(notSucceeded).as("deploys not SUCCEEDED").isEmpty();

        List<Double> perDeploy = new ArrayList<>(jdbc.sql("SELECT requested_at, ended_at FROM mf_cloud_deploy"
                + " WHERE deploy_no IN " + in)
            .query((rs, i) -> seconds(rs.getTimestamp(1), rs.getTimestamp(2))).list());
        perDeploy.sort(Double::compare);
        Timestamp first = jdbc.sql("SELECT MIN(requested_at) FROM mf_cloud_deploy WHERE deploy_no IN " + in)
            .query(Timestamp.class).single();
        Timestamp last = jdbc.sql("SELECT MAX(ended_at) FROM mf_cloud_deploy WHERE deploy_no IN " + in)
            .query(Timestamp.class).single();
        List<double[]> servers = jdbc.sql("SELECT s.started_at, s.ended_at, s.health_checks FROM mf_cloud_deploy_server s"
                + " JOIN mf_cloud_deploy d ON d.id = s.deploy_id WHERE s.phase = 'DEPLOY' AND d.deploy_no IN " + in)
            .query((rs, i) -> new double[] {seconds(rs.getTimestamp(1), rs.getTimestamp(2)), rs.getInt(3)}).list();

        Map<String, Long> calls = new TreeMap<>();
        long errors = 0;
        Map<String, JsonNode> statsAfter = stats();
        for (Map.Entry<String, JsonNode> action : statsAfter.entrySet()) {
            JsonNode before = statsBefore.get(action.getKey());
            long made = action.getValue().path("calls").asLong() - (before == null ? 0 : before.path("calls").asLong());
            errors += action.getValue().path("errors").asLong() - (before == null ? 0 : before.path("errors").asLong());
            if (made > 0) {
                calls.put(action.getKey(), made);
            }
        }
        Map<String, Long> jobsPerActivity = new TreeMap<>();
        jdbc.sql("SELECT ACT_ID_, COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 2 AND PROCESS_INSTANCE_ID_ IN ('"
                + String.join("','", processes) + "') GROUP BY ACT_ID_")
            .query((RowCallbackHandler) rs -> jobsPerActivity.put(rs.getString(1), rs.getLong(2)));
        // Every job has a due date (JobAcquisitionByDueDate): its creation time, or a timer's time.
        List<Double> jobWaits = jdbc.sql("SELECT JOB_DUEDATE_, TIMESTAMP_ FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 2"
                + " AND JOB_DUEDATE_ IS NOT NULL AND PROCESS_INSTANCE_ID_ IN ('" + String.join("','", processes) + "')")
            .query((rs, i) -> seconds(rs.getTimestamp(1), rs.getTimestamp(2))).list();
        Run run = new Run(seconds(first, last), requesting, perDeploy.get(perDeploy.size() / 2),
            perDeploy.get(perDeploy.size() - 1), servers.stream().mapToDouble(s -> s[0]).average().orElse(0),
            servers.stream().mapToDouble(s -> s[1]).average().orElse(0), cpu,
            calls.values().stream().mapToLong(Long::longValue).sum(), errors, calls, jobs, failed, jobsPerActivity,
            jobWaits.stream().mapToDouble(Double::doubleValue).average().orElse(0),
            jobWaits.stream().mapToDouble(Double::doubleValue).max().orElse(0),
            jobWaits.stream().mapToDouble(Double::doubleValue).sum(), sampler);
        System.out.printf("%d deploys of %s: %.2f s, CPU %.1f s, %d calls, %d jobs, jobs due → done %.2f s (max %.2f),"
                + " jobs running %.2f (peak %d), due %.1f (peak %d), lock waiters %.2f (peak %d), held %.0f%%, fetch %.0f%%%n",
            apps.size(), apps.get(0), run.seconds(), cpu, run.calls(), jobs, run.meanJobWait(), run.maxJobWait(),
            sampler.meanJobsRunning(), sampler.peakJobsRunning(), sampler.meanJobsDue(), sampler.peakJobsDue(),
            sampler.meanLockWaiters(), sampler.peakLockWaiters(), sampler.lockHeldPercent(), sampler.fetchPercent());
        return run;
    }

    /** The alone runs as one: their means (the sampled peaks are the highest of them). */
    private static Run mean(List<Run> runs) {
        return new Run(runs.stream().mapToDouble(Run::seconds).average().orElse(0), 0,
            runs.stream().mapToDouble(Run::medianDeploySeconds).average().orElse(0),
            runs.stream().mapToDouble(Run::slowestDeploySeconds).max().orElse(0),
            runs.stream().mapToDouble(Run::meanServerSeconds).average().orElse(0),
            runs.stream().mapToDouble(Run::meanHealthChecks).average().orElse(0),
            runs.stream().mapToDouble(Run::cpuSeconds).average().orElse(0),
            Math.round(runs.stream().mapToLong(Run::calls).average().orElse(0)),
            runs.stream().mapToLong(Run::errors).sum(), Map.of(),
            Math.round(runs.stream().mapToLong(Run::jobs).average().orElse(0)),
            runs.stream().mapToLong(Run::failedJobs).sum(), Map.of(),
            runs.stream().mapToDouble(Run::meanJobWait).average().orElse(0),
            runs.stream().mapToDouble(Run::maxJobWait).max().orElse(0),
            runs.stream().mapToDouble(Run::totalJobWait).average().orElse(0),
            Sampler.merged(runs.stream().map(Run::threads).toList()));
    }

    private Map<String, JsonNode> stats() {
        Map<String, JsonNode> stats = new TreeMap<>();
        sandbox.get("/sandbox/admin/aliyun/stats").fields().forEachRemaining(e -> stats.put(e.getKey(), e.getValue()));
        return stats;
    }

    private long jobLog(int state) {
        return jdbc.sql("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = ?").param(state).query(Long.class)
            .single();
    }

    private static String rows(Map<String, Long> counts, int per) {
        StringBuilder rows = new StringBuilder();
        counts.forEach((key, count) -> rows.append("| `").append(key).append("` | ").append(count).append(" | ")
            .append("%.2f".formatted((double) count / per)).append(" |\n"));
        return rows.toString().strip();
    }

    private static double seconds(Timestamp from, Timestamp to) {
        return Duration.between(from.toInstant(), to.toInstant()).toNanos() / 1e9;
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
    }

    /**
     * Samples the JVM's threads while deploys run: job executor threads running a job, threads queued for the Aliyun
     * emulator's lock, whether a thread holds it (inside an emulated product's {@code handle}) and fetches a package
     * there, and how many jobs are due without an owner yet.
     */
    private static final class Sampler {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final JdbcClient jdbc;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private int samples;
        private long jobsRunning;
        private int peakJobsRunning;
        private long lockWaiters;
        private int peakLockWaiters;
        private int lockHeld;
        private int fetching;
        private long jobsDue;
        private int peakJobsDue;

        Sampler(JdbcClient jdbc) {
            this.jdbc = jdbc;
            timer.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }

        private Sampler() {
            this.jdbc = null;
            timer.shutdown();
        }

        /** The samples of several runs together. */
        static Sampler merged(List<Sampler> samplers) {
            Sampler all = new Sampler();
            for (Sampler s : samplers) {
                all.samples += s.samples;
                all.jobsRunning += s.jobsRunning;
                all.peakJobsRunning = Math.max(all.peakJobsRunning, s.peakJobsRunning);
                all.lockWaiters += s.lockWaiters;
                all.peakLockWaiters = Math.max(all.peakLockWaiters, s.peakLockWaiters);
                all.lockHeld += s.lockHeld;
                all.fetching += s.fetching;
                all.jobsDue += s.jobsDue;
                all.peakJobsDue = Math.max(all.peakJobsDue, s.peakJobsDue);
            }
            return all;
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }

        private void sample() {
            try {
                take();
            } catch (RuntimeException e) {
                // A lost sample is a gap, not a failed run; the scheduler would stop sampling on an exception.
                System.err.println("thread sample failed: " + e);
            }
        }

        private synchronized void take() {
            int running = 0;
            int waiting = 0;
            boolean held = false;
            boolean fetch = false;
            for (ThreadInfo thread : THREADS.dumpAllThreads(false, false)) {
                StackTraceElement[] stack = thread.getStackTrace();
                int call = -1;
                boolean job = false;
                boolean handle = false;
                boolean fetchHere = false;
                for (int i = 0; i < stack.length; i++) {
                    String cls = stack[i].getClassName();
                    if (call < 0 && cls.endsWith("sandbox.aliyun.AliyunRpcController")
                        && stack[i].getMethodName().equals("call")) {
                        call = i;
                    }
                    job |= cls.endsWith("jobexecutor.ExecuteJobsRunnable");
                    handle |= cls.startsWith("io.miniflow.sandbox.aliyun.") && stack[i].getMethodName().equals("handle");
                    fetchHere |= cls.endsWith("sandbox.aliyun.EmulatedApps") && stack[i].getMethodName().equals("fetch");
                }
                running += job ? 1 : 0;
                if (call > 0 && stack[call - 1].getClassName().endsWith("ReentrantLock")) {
                    waiting++;
                } else if (call >= 0 && handle) {
                    held = true;
                    fetch |= fetchHere;
                }
            }
            long due = jdbc.sql("SELECT COUNT(*) FROM ACT_RU_JOB WHERE LOCK_OWNER_ IS NULL AND RETRIES_ > 0"
                    + " AND SUSPENSION_STATE_ = 1 AND (DUEDATE_ IS NULL OR DUEDATE_ <= ?)")
                .param(Timestamp.from(Instant.now())).query(Long.class).single();
            samples++;
            jobsRunning += running;
            peakJobsRunning = Math.max(peakJobsRunning, running);
            lockWaiters += waiting;
            peakLockWaiters = Math.max(peakLockWaiters, waiting);
            lockHeld += held ? 1 : 0;
            fetching += fetch ? 1 : 0;
            jobsDue += due;
            peakJobsDue = Math.max(peakJobsDue, (int) due);
        }

        synchronized double meanJobsRunning() {
            return (double) jobsRunning / Math.max(1, samples);
        }

        synchronized int peakJobsRunning() {
            return peakJobsRunning;
        }

        synchronized double meanLockWaiters() {
            return (double) lockWaiters / Math.max(1, samples);
        }

        synchronized int peakLockWaiters() {
            return peakLockWaiters;
        }

        synchronized double lockHeldPercent() {
            return 100.0 * lockHeld / Math.max(1, samples);
        }

        synchronized double fetchPercent() {
            return 100.0 * fetching / Math.max(1, samples);
        }

        synchronized double meanJobsDue() {
            return (double) jobsDue / Math.max(1, samples);
        }

        synchronized int peakJobsDue() {
            return peakJobsDue;
        }
    }
}
