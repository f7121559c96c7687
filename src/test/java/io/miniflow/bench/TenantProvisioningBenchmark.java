package io.miniflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;
import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;
import io.miniflow.openapi.SigningClient;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * Issue #13's flow at scale: N tenants (-Dtenant.bench.count, default 1000) opened through the OpenAPI with a signed
 * client, each merchant's consent given through the emulator as soon as the tenant's GET shows the link, until every
 * tenant is ACTIVE. Miniflow (this JVM) on MySQL/MariaDB, the emulators in a JVM of their own, so the CPU of
 * Miniflow, of the platforms and of the database are read apart. Correctness is asserted (no WeChat call repeated, no
 * webhook twice); timings are only reported.
 */
@Tag("bench")
@MySqlIntegrationTest
class TenantProvisioningBenchmark {

    private static final int N = Integer.getInteger("tenant.bench.count", 1000);
    private static final int WARM_UP = 20;
    private static final int CONSENT_THREADS = 4;
    private static final long AUDIT_DELAY_MILLIS = 500;
    /**
     * The OpenAPI limit per team key, raised from its default of 20/s: a workspace has at most two active keys, so
     * 1000 tenants at 20/s would measure the limit (50 s for the POSTs alone), not the provisioning.
     */
    private static final int OPENAPI_RATE_LIMIT = 1000;
    private static final Duration FIRST_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_POLL = Duration.ofSeconds(8);
    private static final Duration TIMEOUT = Duration.ofMinutes(25);
    private static final Pattern CPU_LINE = Pattern.compile("\\| process CPU time \\| ([0-9.]+) s");
    private static final Pattern PLATFORM_CPU_LINE = Pattern.compile("\\| the emulators' JVM CPU time[^|]*\\| ([0-9.]+) s");
    private static final Pattern MEASURED = Pattern.compile("_Measured (\\d{4}-\\d{2}-\\d{2})");

    private static MiniflowNode platforms;

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WechatClient client;

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong posts = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private WechatSandboxHttp sandbox;
    private SigningClient saas;
    private String appCode;
    private long templateId;

    /** Skips, saying why, when the database named is not reachable (the class is skipped outright without one). */
    @BeforeAll
    static void databaseReachable() {
        MySqlDatabase.Connection c = MySqlDatabase.connection().orElseThrow();
        try (Connection db = DriverManager.getConnection(c.url(), c.user(), c.password())) {
            assumeTrue(db.isValid(5), "the database " + c.url() + " does not answer");
        } catch (java.sql.SQLException e) {
            assumeTrue(false, "no MariaDB reachable at " + c.url() + " (" + c.origin() + "): " + e.getMessage()
                + "; start one as .ci/run does and set TEST_DB_URL");
        }
    }

    @DynamicPropertySource
    static void mariaDbAndPlatformsElsewhere(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
        registry.add("miniflow.openapi.rate-limit-per-second", () -> OPENAPI_RATE_LIMIT);
        platforms = TemplateReleaseDriver.startPlatformsElsewhere(registry, "tenant-bench-platforms");
    }

    @AfterAll
    static void stopPlatforms() {
        if (platforms != null) {
            platforms.close();
        }
    }

    @Test
    void openManyTenantsThroughTheOpenApiUntilEveryOneIsActive() throws Exception {
        sandbox = new WechatSandboxHttp(platforms.port());
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":" + AUDIT_DELAY_MILLIS
            + ",\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":" + (10 * (N + WARM_UP) + 1000) + ",\"used\":0}");
        // The platforms started before Miniflow listened: their first verify ticket reached nobody.
        sandbox.post("/sandbox/admin/wechat/ticket", null);
        templateId = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.templates(null)
            .stream().mapToLong(WechatClient.Template::templateId).min().orElse(0), t -> t > 0);
        prepareAppAndKey();
        String database = jdbc.sql("SELECT VERSION()").query(String.class).single();
        long databasePid = databasePid();

        provision("warm", WARM_UP);

        sandbox.delete("/sandbox/admin/wechat/stats");
        posts.set(0);
        gets.set(0);
        refused.set(0);
        long jobsBefore = jobLog(2);
        long failedBefore = jobLog(1);
        long pollsBefore = polls();
        String loadBefore = loadAverage();
        long rssBefore = BenchmarkReport.rssMiB();
        long cpuBefore = processCpuNanos();
        double platformCpuBefore = platforms.cpuSeconds();
        double databaseCpuBefore = cpuSecondsOf(databasePid);
        Run run = provision("bench", N);
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        double platformCpuSeconds = platforms.cpuSeconds() - platformCpuBefore;
        double databaseCpuSeconds = databasePid > 0 ? cpuSecondsOf(databasePid) - databaseCpuBefore : -1;
        long rssAfter = BenchmarkReport.rssMiB();
        long jobs = jobLog(2) - jobsBefore;
        long failedJobs = jobLog(1) - failedBefore;
        long polled = polls() - pollsBefore;
        String loadAfter = loadAverage();
        long requestsPost = posts.get();
        long requestsGet = gets.get();

        // Correctness, not timing: each tenant live, no platform call made twice, each webhook once.
        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        Map<String, long[]> calls = new TreeMap<>();
        perApi.fields().forEachRemaining(f -> calls.put(f.getKey(),
            new long[] {f.getValue().get("calls").asLong(), f.getValue().get("repeats").asLong()}));
        long totalCalls = calls.values().stream().mapToLong(c -> c[0]).sum();
        long totalRepeats = calls.values().stream().mapToLong(c -> c[1]).sum();
        int webhooksExpected = 2 * N;
        await().atMost(Duration.ofMinutes(2)).until(() -> sandbox.get("/sandbox/admin/receiver/" + run.receiver)
            .get("count").asLong() >= webhooksExpected);
        Thread.sleep(2000); // a duplicate would come right after
        JsonNode received = sandbox.get("/sandbox/admin/receiver/" + run.receiver);
        Set<String> deliveryIds = new HashSet<>();
        long deliveries = 0;
        for (JsonNode delivery : received.get("deliveries")) {
            deliveries++;
            deliveryIds.add(json.readTree(delivery.get("body").asText()).get("deliveryId").asText());
        }
        long duplicates = deliveries - deliveryIds.size();
        long notLive = run.codes.stream().filter(code -> !tenant(code).get("status").asText().equals("ACTIVE")).count();
        long incidents = jdbc.sql("SELECT COUNT(*) FROM ACT_RU_INCIDENT").query(Long.class).single();

        StringBuilder perApiRows = new StringBuilder();
        calls.forEach((api, c) -> perApiRows.append("| `").append(api).append("` | ").append(c[0]).append(" | ")
            .append(String.format("%.2f", (double) c[0] / N)).append(" | ").append(c[1]).append(" |\n"));
        double perTenantMs = cpuSeconds * 1000 / N;
        double platformPerTenantMs = platformCpuSeconds * 1000 / N;
        String section = """
            ## Tenant provisioning: %d tenants opened through the OpenAPI on MariaDB

            %d tenants opened one after the other with `POST /openapi/v1/tenants` (signed with one team key, 429s
            waited out), each merchant's consent given through the emulator (`POST /sandbox/admin/wechat/consent`)
            by %d client threads as soon as the tenant's `GET` shows its `authorizationUrl` (each tenant polled 1 s
            after its POST, then at doubling intervals up to 8 s), until every tenant is `ACTIVE`: pre-authorization,
            consent, commit, audit, release, the `tenant.data_migration` and `tenant.live` webhooks. After a warm-up
            of %d tenants through the same flow.

            Configured: Miniflow in the test JVM on %s (its own process), the emulators in a JVM of their own
            (sandbox-only, -Xmx1g, in-memory H2), each audit decided %d ms after submission and pushed, privacy
            scan 0 ms, no latency added; the OpenAPI rate limit raised to %d requests/s per key
            (`miniflow.openapi.rate-limit-per-second`; default 20): a workspace may have only two active keys, and at
            20/s the 1000 POSTs alone need at least 50 s: raised so that the limit cannot be what is measured.
            Webhooks go to the emulators' receiver (`/sandbox/receiver/{name}`). Miniflow's job executor settings.

            | measure | value |
            |---|---|
            | wall time, first POST → all %d ACTIVE | %.1f s |
            | of which opening (all POSTs answered 202) | %.1f s |
            | tenants / s | %.1f |
            | Miniflow JVM CPU (the test's client threads included) | %.1f s (%.0f%% of 2 cores), %.1f ms per tenant |
            | the emulators' JVM CPU | %.1f s, %.1f ms per tenant |
            | MariaDB CPU (mariadbd, pid %s) | %s |
            | Miniflow JVM RSS before → after | %d → %d MiB (peak %d MiB) |
            | OpenAPI requests: POST / GET / refused 429 | %d / %d / %d |
            | WeChat calls made / repeated | %d (%.1f per tenant) / %d |
            | webhooks received / distinct / duplicates | %d / %d / %d |
            | engine jobs executed (successful, from the job log) / failed attempts retried | %d (%.1f per tenant) / %d |
            | audits taken in by the poll, not the push (the push came before the release waited for it) | %d |
            | tenants not ACTIVE at the end (GET) / open incidents | %d / %d |
            | 1-minute load average at the start / end (runnable threads on 2 cores, this run's own included) | %s / %s |

            WeChat calls per API (the emulator's `GET /sandbox/admin/wechat/stats`, measured run only):

            | API | calls | per tenant | repeated |
            |---|---|---|---|
            %s

            %sRerun: start MariaDB as .ci/run does and set TEST_DB_URL (without one the benchmark skips), then
            `mvn -o -Pbench verify -Dtest=TenantProvisioningBenchmark -Dtenant.bench.count=1000`. The wall time
            stops when the database shows all N tenants ACTIVE; each is then read once more through the OpenAPI.
            """.formatted(N, N, CONSENT_THREADS, WARM_UP, database, AUDIT_DELAY_MILLIS, OPENAPI_RATE_LIMIT, N,
            run.seconds, run.openingSeconds, N / run.seconds, cpuSeconds, cpuSeconds * 100 / run.seconds / 2,
            perTenantMs, platformCpuSeconds, platformPerTenantMs, databasePid > 0 ? databasePid : "unknown",
            databaseCpuSeconds >= 0 ? "%.1f s, %.1f ms per tenant".formatted(databaseCpuSeconds,
                databaseCpuSeconds * 1000 / N) : "not readable (no pid file on this machine)",
            rssBefore, rssAfter, run.peakRss, requestsPost, requestsGet, refused.get(), totalCalls,
            (double) totalCalls / N, totalRepeats, deliveries, deliveryIds.size(), duplicates, jobs, (double) jobs / N,
            failedJobs, polled, notLive, incidents, loadBefore, loadAfter, perApiRows.toString().strip(),
            comparison(perTenantMs, platformPerTenantMs));
        System.out.println(section);

        assertThat(notLive).as("tenants not ACTIVE").isZero();
        assertThat(totalRepeats).as("WeChat calls repeated: %s", calls.keySet()).isZero();
        assertThat(duplicates).as("webhooks delivered twice").isZero();
        assertThat(deliveryIds).as("one tenant.data_migration and one tenant.live per tenant").hasSize(webhooksExpected);
        BenchmarkReport.writeSection("tenant-provisioning", section);
    }

    /** The tenants' figures beside the template release's from docs/benchmarks.md, per mini program. */
    private static String comparison(double perTenantMs, double platformPerTenantMs) throws IOException {
        String docs = Files.readString(Path.of("docs/benchmarks.md"), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        String separate = section(docs, "template-release-mariadb-separate-platforms-");
        String sameJvm = section(docs, "template-release-mariadb-1000:");
        if (separate != null) {
            Matcher cpu = CPU_LINE.matcher(separate);
            Matcher platformCpu = PLATFORM_CPU_LINE.matcher(separate);
            Matcher n = Pattern.compile("with (\\d+) mini programs").matcher(separate);
            Matcher date = MEASURED.matcher(separate);
            if (cpu.find() && platformCpu.find() && n.find() && date.find()) {
                double releaseMs = Double.parseDouble(cpu.group(1)) * 1000 / Integer.parseInt(n.group(1));
                double releasePlatformMs = Double.parseDouble(platformCpu.group(1)) * 1000 / Integer.parseInt(n.group(1));
                out.append("""
                    Beside the template release with the emulators in their own JVM (section
                    "WeChat template release: %s mini programs on mariadb-separate-platforms", a different run, %s, itself
                    measured while other builds ran): Miniflow's CPU per tenant ÷ per mini program released = %.1f ms ÷
                    %.1f ms = %.2f; the emulators' = %.1f ms ÷ %.1f ms = %.2f.
                    """.formatted(n.group(1), date.group(1), perTenantMs, releaseMs, perTenantMs / releaseMs,
                    platformPerTenantMs, releasePlatformMs, platformPerTenantMs / releasePlatformMs));
            }
        }
        if (sameJvm != null) {
            Matcher cpu = CPU_LINE.matcher(sameJvm);
            Matcher date = MEASURED.matcher(sameJvm);
            if (cpu.find() && date.find()) {
                double releaseMs = Double.parseDouble(cpu.group(1)) * 1000 / 1000;
                double both = perTenantMs + platformPerTenantMs;
                out.append("""
                    Beside the 1000 template release on MariaDB with the emulator in Miniflow's JVM (a different run,
                    %s): Miniflow's and the emulators' CPU per tenant together ÷ that JVM's CPU per mini program =
                    %.1f ms ÷ %.1f ms = %.2f.
                    """.formatted(date.group(1), both, releaseMs, both / releaseMs));
            }
        }
        return out.isEmpty() ? "" : out.append("\n").toString();
    }

    private static String section(String docs, String namePrefix) {
        int from = docs.indexOf("<!-- bench:" + namePrefix);
        if (from < 0) {
            return null;
        }
        int to = docs.indexOf(":end -->", from);
        return to < 0 ? null : docs.substring(from, to);
    }

    /** What one round measured: its tenants, its receiver, the wall time and the peak RSS. */
    private record Run(List<String> codes, String receiver, double seconds, double openingSeconds, long peakRss) {
    }

    /**
     * Opens n tenants and gives each merchant's consent once its link shows, until the database shows them all
     * ACTIVE.
     */
    private Run provision(String prefix, int n) throws Exception {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String receiver = prefix + suffix;
        String notifyUrl = platforms.base() + "/sandbox/receiver/" + receiver;
        List<String> codes = new ArrayList<>();
        Set<String> consented = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService merchants = Executors.newScheduledThreadPool(CONSENT_THREADS);
        long start = System.nanoTime();
        long peakRss = BenchmarkReport.rssMiB();
        try {
            for (int i = 0; i < n; i++) {
                String code = prefix + i + "-" + suffix;
                codes.add(code);
                String body = json.writeValueAsString(Map.of("tenantCode", code, "name", "Tenant " + i, "appCode",
                    appCode, "envCode", "prod", "tenantAppCode", code + "-shop", "extJson", Map.of("shopName",
                        "Shop " + i), "templateId", templateId, "notifyUrl", notifyUrl));
                posts.incrementAndGet();
                HttpResponse<String> opened = politely("POST", "/openapi/v1/tenants", body);
                assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
                scheduleConsent(merchants, code, FIRST_POLL, consented, failures);
            }
            double openingSeconds = (System.nanoTime() - start) / 1e9;
            long active;
            while ((active = activeTenants(prefix, suffix)) < n) {
                peakRss = Math.max(peakRss, BenchmarkReport.rssMiB());
                assertThat(failures).as("consents that failed").isEmpty();
                if (System.nanoTime() - start > TIMEOUT.toNanos()) {
                    throw new IllegalStateException(prefix + ": " + active + " of " + n + " ACTIVE, " + consented.size()
                        + " consented after " + TIMEOUT);
                }
                Thread.sleep(500);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(consented).hasSize(n);
            System.out.printf("%s: %d tenants ACTIVE in %.1f s%n", prefix, n, seconds);
            return new Run(codes, receiver, seconds, openingSeconds, Math.max(peakRss, BenchmarkReport.rssMiB()));
        } finally {
            merchants.shutdownNow();
        }
    }

    /** A merchant who opens the tenant's GET until the link shows, backing off, then consents once. */
    private void scheduleConsent(ScheduledExecutorService merchants, String code, Duration wait, Set<String> consented,
                                 ConcurrentLinkedQueue<String> failures) {
        merchants.schedule(() -> {
            try {
                String link = tenant(code).get("apps").get(0).path("authorizationUrl").asText(null);
                if (link == null) {
                    Duration next = wait.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : wait.multipliedBy(2);
                    scheduleConsent(merchants, code, next, consented, failures);
                    return;
                }
                JsonNode consent = sandbox.post("/sandbox/admin/wechat/consent", json.writeValueAsString(
                    Map.of("url", link, "nickName", "Merchant " + code)));
                if (consent.path("callbackStatus").asInt() != 200) {
                    failures.add(code + ": " + consent);
                }
                consented.add(code);
            } catch (Exception | AssertionError e) {
                failures.add(code + ": " + e);
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private long activeTenants(String prefix, String suffix) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_tenant WHERE tenant_code LIKE ? AND status = 'ACTIVE'")
            .param(prefix + "%-" + suffix).query(Long.class).single();
    }

    /** An app with its prod environment published, and a team key for the Demo workspace, as the SaaS platform's. */
    private void prepareAppAndKey() throws Exception {
        appCode = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        admin(post("/api/apps").contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"appCode\":\""
            + appCode + "\",\"name\":\"Shop\",\"engineVersion\":\"1.0.0\"}")).andExpect(status().isCreated());
        admin(post("/api/apps/{a}/environments", appCode).contentType(MediaType.APPLICATION_JSON).content(
            "{\"envCode\":\"prod\",\"name\":\"Production\",\"domain\":\"https://shop.example.com\",\"apiDomain\":"
                + "\"https://api.shop.example.com\",\"deployConfig\":\"default\",\"requiresApproval\":false}"))
            .andExpect(status().isCreated());
        admin(post("/api/apps/{a}/environments/prod/publishes", appCode).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\":\"2.3.0\",\"note\":\"for tenants\"}")).andExpect(status().isAccepted());
        await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.sql("SELECT e.online_version FROM mf_app_environment e"
            + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?").param(appCode).query(String.class).list()
            .contains("2.3.0"));
        JsonNode key = json.readTree(admin(post("/api/workspaces/Demo/openapi-keys")).andExpect(status().isCreated())
            .andReturn().getResponse().getContentAsString());
        saas = new SigningClient("http://localhost:" + port, key.get("appId").asText(), key.get("appSecret").asText());
    }

    private JsonNode tenant(String code) {
        gets.incrementAndGet();
        HttpResponse<String> response = politely("GET", "/openapi/v1/tenants/" + code, "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As a well-behaved SaaS client: a 429 is waited out for the Retry-After it names, then sent again. */
    private HttpResponse<String> politely(String method, String path, String body) {
        while (true) {
            HttpResponse<String> response = saas.send(method, path, body);
            if (response.statusCode() != 429) {
                return response;
            }
            refused.incrementAndGet();
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            try {
                Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private long jobLog(int state) {
        return jdbc.sql("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = ?").param(state).query(Long.class)
            .single();
    }

    /** Audit poll timers that fired: each is an audit result the push did not hand to a waiting release. */
    private long polls() {
        return jdbc.sql("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 2"
            + " AND ACT_ID_ = 'Event_PollIntervalElapsed'").query(Long.class).single();
    }

    /** The system's 1-minute load average (Linux), or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The database server's pid, read from its pid file where it runs on this machine; -1 otherwise. */
    private long databasePid() {
        try {
            String pidFile = jdbc.sql("SELECT @@pid_file").query(String.class).single();
            return Long.parseLong(Files.readString(Path.of(pidFile)).trim());
        } catch (RuntimeException | IOException e) {
            return -1;
        }
    }

    private static double cpuSecondsOf(long pid) {
        return pid <= 0 ? -1 : ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
            .map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private org.springframework.test.web.servlet.ResultActions admin(MockHttpServletRequestBuilder request)
            throws Exception {
        return mvc.perform(request.with(httpBasic("admin", "admin")));
    }
}
