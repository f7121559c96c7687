package io.miniflow.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;

/**
 * Issue 19's scenarios, run against what production runs: two Miniflow nodes as separate JVMs on one MariaDB (the
 * harness's own: scenario 5 stops it), the emulators in a JVM of their own, the platforms' pushes through a load
 * balancer in front of both nodes. Every scenario checks what it promises (nothing lost, no platform call repeated)
 * and records its figures; subclasses choose the sizes: {@link ReliabilityTest} (inside {@code mvn verify}) and
 * {@link ReliabilityBenchmark} ({@code mvn -Preliability verify}, which writes docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReliabilityHarness {

    /** How long a job stays locked to a node in the harness (a killed node's jobs are free again after it). */
    static final Duration LOCK_TIME = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STEPS = List.of("wxa/commit", "wxa/submit_audit", "wxa/release");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, MiniflowNode> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private MariaDbServer db;
    private LoadBalancer balancer;
    private MiniflowNode platforms;
    private List<String> appIds;
    private int batches;
    private double faultFreeSeconds;

    /** Mini programs per batch. */
    abstract int miniPrograms();

    /** Mini programs a batch releases side by side. */
    abstract int concurrency();

    /** How often a node is killed in scenario 2, each time at another moment. */
    abstract int kills();

    /**
     * Whether the figures that are times are held to their targets (the fault-free ratio, the takeover within the
     * lock time): in the benchmark run, side by side on one machine; the CI run reports them only, as a shared
     * machine's load moves times, never what was lost or repeated.
     */
    abstract boolean holdTimesToTargets();

    /** Called once at the end with every scenario's figures (markdown sections by scenario). */
    abstract void report(Map<String, String> figures);

    @BeforeAll
    void startTheCluster() throws Exception {
        Assumptions.assumeTrue(MariaDbServer.installed(),
            "needs MariaDB's programs (mariadbd, mariadb-install-db, mariadb) on this machine: .ci/run installs them");
        db = MariaDbServer.start();
        int balancerPort = MiniflowNode.freePort();
        balancer = new LoadBalancer(balancerPort);
        platforms = MiniflowNode.startEmulators("reliability-platforms", "512m", balancerPort);
        platforms.send("POST", "/sandbox/admin/wechat/settings",
            "{\"audit_delay_millis\":2000,\"privacy_scan_delay_millis\":0}", null);
        // The monthly audit quota (1,000 by default) would stop the second full-size batch for a person's consent.
        platforms.send("POST", "/sandbox/admin/wechat/quota", "{\"limit\":1000000,\"used\":0}", null);
        ports.put("node-a", MiniflowNode.freePort());
        ports.put("node-b", MiniflowNode.freePort());
        startNode("node-a");
        startNode("node-b");
        platforms.send("POST", "/sandbox/admin/wechat/ticket", null, null);
        appIds = new ArrayList<>();
        for (JsonNode app : platforms.send("POST", "/sandbox/admin/wechat/authorizers",
                "{\"count\":" + miniPrograms() + ",\"push\":true}", null)) {
            appIds.add(app.get("appid").asText());
        }
        waitFor(Duration.ofMinutes(5), () -> count("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'")
            >= appIds.size(), "mini programs authorized");
    }

    @AfterAll
    void stopTheCluster() throws Exception {
        if (!figures.isEmpty()) {
            report(figures);
        }
        nodes.values().forEach(MiniflowNode::close);
        if (platforms != null) {
            platforms.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    // --- the scenarios

    @Test
    @Order(1)
    void twoNodesReleaseOneBatchTogetherAndTheTokenIsFetchedOnce() throws Exception {
        // Every token the platform gave out expires now: the first call of each mini program is refused (42001), and
        // the component token behind the authorizer tokens is fetched again, once for both nodes.
        platforms.send("POST", "/sandbox/admin/wechat/tokens/expire", "{}", null);
        Run run = release(appIds);
        run.assertNothingLostOrRepeated();
        Map<String, Long> perNode = run.jobsPerNode();
        long componentTokens = run.calls("cgi-bin/component/api_component_token");
        long authorizerTokens = run.calls("cgi-bin/component/api_authorizer_token");
        figures.put("1. Two nodes, one batch", run.table(Map.of(
            "component tokens fetched (after all tokens expired)", Long.toString(componentTokens),
            "authorizer tokens fetched", authorizerTokens + " for " + appIds.size() + " mini programs")));
        assertThat(perNode).as("jobs done per node").containsKeys("node-a", "node-b");
        assertThat(componentTokens).as("component token fetched once for both nodes").isEqualTo(1);
        // Not once per node; a few are fetched twice when both nodes meet the same rejected token at once (measured:
        // 1,009 for 1,000 in the full run, docs/reliability.md).
        assertThat(authorizerTokens).as("authorizer tokens fetched, not once per node").isLessThan(2L * appIds.size());
    }

    @Test
    @Order(2)
    void aNodeKilledMidBatchLeavesItsWorkToTheOther() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < kills(); k++) {
            String victim = k % 2 == 0 ? "node-b" : "node-a";
            double moment = 0.1 + ThreadLocalRandom.current().nextDouble() * 0.5;
            Run run = startRelease(appIds);
            waitFor(Duration.ofMinutes(10), () -> run.released() >= Math.max(1, (long) (moment * appIds.size())),
                "released before the kill");
            long held = count("SELECT COUNT(*) FROM ACT_RU_JOB WHERE LOCK_OWNER_ LIKE '" + victim + "/%'"
                + " AND LOCK_EXP_TIME_ > NOW()");
            long releasedAtKill = run.released();
            nodes.remove(victim).kill();
            long killedAt = System.nanoTime();
            balancer.nodes(nodes.values().stream().map(MiniflowNode::base).toList());
            waitFor(LOCK_TIME.multipliedBy(3), () -> count("SELECT COUNT(*) FROM ACT_RU_JOB WHERE LOCK_OWNER_ LIKE '"
                + victim + "/%'") == 0, "the killed node's jobs taken over");
            double resumedAfter = (System.nanoTime() - killedAt) / 1e9;
            run.awaitEnd();
            run.assertNothingLostOrRepeated();
            rows.add(String.format("| %d | %s | %d of %d | %d | %.1f s | %.1f s |", k + 1, victim, releasedAtKill,
                appIds.size(), held, resumedAfter, run.seconds()));
            if (holdTimesToTargets()) {
                assertThat(resumedAfter).as("the killed node's jobs resumed within the lock time (and a poll)")
                    .isLessThan(LOCK_TIME.toSeconds() + 15.0);
            }
            startNode(victim);
        }
        figures.put("2. A node killed", "Job lock time " + LOCK_TIME.toSeconds() + " s.\n\n"
            + "| run | killed | released at the kill | jobs it held | its jobs taken over after | batch took |\n"
            + "|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n\nEvery run: 0 lost, 0 repeated calls.");
    }

    @Test
    @Order(3)
    void tenPercentTransientFaultsCostAtMostTwiceTheTime() throws Exception {
        Run clean = release(appIds);
        clean.assertNothingLostOrRepeated();
        faultFreeSeconds = clean.seconds();
        double retriesBefore = retries();
        platforms.send("POST", "/sandbox/admin/wechat/faults", "{\"api\":\"*\",\"rate\":0.1,\"kind\":\"MIXED\"}", null);
        Run faulty;
        try {
            faulty = release(appIds);
        } finally {
            platforms.send("DELETE", "/sandbox/admin/wechat/faults", null, null);
        }
        faulty.assertNothingLostOrRepeated();
        double retried = retries() - retriesBefore;
        double ratio = faulty.seconds() / faultFreeSeconds;
        figures.put("3. Transient faults (10% of WeChat calls: -1, 502, 45009, 45011)", String.format(
            "| | seconds | calls to WeChat | incidents |\n|---|---|---|---|\n| no faults | %.1f | %d | %d |\n"
                + "| 10%% faults | %.1f | %d | %d |\n\nRatio **%.2f×** the fault-free time; %.0f quick retries.",
            clean.seconds(), clean.allCalls(), clean.incidents(), faulty.seconds(), faulty.allCalls(),
            faulty.incidents(), ratio, retried));
        assertThat(faulty.incidents()).as("incidents from transient faults").isZero();
        assertThat(retried).as("quick retries counted by the nodes").isPositive();
        if (holdTimesToTargets()) {
            assertThat(ratio).as("time with 10% transient faults against none").isLessThanOrEqualTo(2.0);
        }
    }

    @Test
    @Order(4)
    void aPermanentFaultIsAnIncidentAnOperatorRetriesOverCockpitsRestApi() throws Exception {
        List<String> few = appIds.subList(0, Math.min(3, appIds.size()));
        String broken = few.get(0);
        platforms.send("POST", "/sandbox/admin/wechat/faults", "{\"api\":\"wxa/commit\",\"rate\":1.0,"
            + "\"kind\":\"ERRCODE\",\"errcode\":85013,\"appid\":\"" + broken + "\"}", null);
        Run run = startRelease(few);
        String instance = waitForValue(Duration.ofMinutes(2), () -> text("SELECT process_instance_id FROM"
            + " mf_release_item WHERE batch_id = " + run.batch + " AND app_id = '" + broken + "'"), broken + " started");
        MiniflowNode node = nodes.values().iterator().next();
        JsonNode incident = waitForValue(Duration.ofMinutes(3), () -> {
            JsonNode list = node.send("GET", "/engine-rest/incident?processInstanceId=" + instance, null, "operator");
            return list.isEmpty() ? null : list.get(0);
        }, "an incident for " + broken);
        String message = incident.get("incidentMessage").asText();
        assertThat(message).contains("85013").contains(" / ")
            .matches(m -> m.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                "has the Chinese text");
        platforms.send("POST", "/sandbox/admin/wechat/faults", "{\"api\":\"wxa/commit\",\"rate\":0,"
            + "\"appid\":\"" + broken + "\"}", null);
        String job = incident.get("configuration").asText();
        int status = request("PUT", node.base() + "/engine-rest/job/" + job + "/retries", "{\"retries\":1}", "operator");
        assertThat(status).as("the operator's retry over Cockpit's REST API").isEqualTo(204);
        run.awaitEnd();
        run.assertNothingLostOrRepeated();
        figures.put("4. A permanent fault", "WeChat answered 85013 to every commit of " + broken + ": an incident at"
            + " once (no retry cycle), message `" + message.replace("|", "\\|") + "`; after the fault was cleared the"
            + " operator set the job's retries over HTTP (`PUT /engine-rest/job/{id}/retries` as `operator`, 204) and"
            + " the batch of " + few.size() + " completed: 0 lost, 0 repeated.");
    }

    @Test
    @Order(5)
    void pushesLostDuplicatedOrEarlyStillReleaseEveryMiniProgramOnce() throws Exception {
        platforms.send("POST", "/sandbox/admin/wechat/push-faults",
            "{\"drop_rate\":0.3,\"duplicate_rate\":0.3,\"early_rate\":0.3}", null);
        Run run;
        JsonNode pushes;
        try {
            run = release(appIds);
            pushes = platforms.send("GET", "/sandbox/admin/wechat/stats", null, null).get("pushes");
        } finally {
            platforms.send("DELETE", "/sandbox/admin/wechat/push-faults", null, null);
        }
        run.assertNothingLostOrRepeated();
        figures.put("6. Pushes lost, duplicated, early", run.table(Map.of(
            "audit pushes dropped / sent twice / sent before submit_audit answered",
            pushes.path("dropped").asLong() + " / " + pushes.path("duplicated").asLong() + " / "
                + pushes.path("early").asLong())));
        assertThat(pushes.path("dropped").asLong()).as("pushes dropped").isPositive();
        assertThat(pushes.path("duplicated").asLong()).as("pushes sent twice").isPositive();
        assertThat(pushes.path("early").asLong()).as("pushes sent early").isPositive();
        assertThat(run.incidents()).isZero();
    }

    @Test
    @Order(6)
    void theNodesRecoverFromADatabaseOutageOnTheirOwn() throws Exception {
        Run run = startRelease(appIds);
        waitFor(Duration.ofMinutes(10), () -> run.released() >= Math.max(1, appIds.size() / 4), "a quarter released");
        db.stop();
        long stoppedAt = System.nanoTime();
        Map<String, Map<Integer, Integer>> answers = new LinkedHashMap<>();
        while (System.nanoTime() - stoppedAt < Duration.ofSeconds(30).toNanos()) {
            nodes.forEach((name, n) -> answers.computeIfAbsent(name, x -> new java.util.TreeMap<>())
                .merge(health(n), 1, Integer::sum));
            Thread.sleep(1000);
        }
        db.startAgain();
        long startedAt = System.nanoTime();
        waitFor(Duration.ofMinutes(3), () -> nodes.values().stream().allMatch(n -> health(n) == 200), "health UP");
        double upAfter = (System.nanoTime() - startedAt) / 1e9;
        run.awaitEnd();
        run.assertNothingLostOrRepeated();
        assertThat(answers.values()).as("health answers (status: times) while the database was away; -1: none in 20 s")
            .allMatch(byStatus -> byStatus.containsKey(503));
        assertThat(nodes.values()).as("no node restarted").allMatch(MiniflowNode::isAlive);
        figures.put("5. Database outage (30 s)", run.table(Map.of(
            "health during the 30 s outage (HTTP status: answers; each took up to 10 s)", answers.toString(),
            "health UP again", String.format("%.1f s", upAfter) + " after the database was back, no restart")));
    }

    // --- a batch and what it did

    private Run release(List<String> mps) throws Exception {
        Run run = startRelease(mps);
        run.awaitEnd();
        return run;
    }

    private Run startRelease(List<String> mps) throws Exception {
        platforms.send("DELETE", "/sandbox/admin/wechat/stats", null, null);
        Timestamp since = timestamp("SELECT NOW(3)");
        long start = System.nanoTime();
        MiniflowNode node = nodes.values().iterator().next();
        long batch = node.send("POST", "/api/wechat/releases", JSON.writeValueAsString(Map.of(
            "templateId", 1, "appIds", mps, "userVersion", "19." + (++batches) + "." + (System.currentTimeMillis() % 100000),
            "userDesc", "reliability", "concurrency", concurrency())), "mpadmin").get("releaseId").asLong();
        return new Run(batch, mps.size(), since, start);
    }

    final class Run {
        final long batch;
        final int size;
        final Timestamp since;
        final long start;
        long end;
        JsonNode statsAtEnd;

        Run(long batch, int size, Timestamp since, long start) {
            this.batch = batch;
            this.size = size;
            this.since = since;
            this.start = start;
        }

        long released() throws SQLException {
            return count("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = " + batch + " AND stage = 'RELEASED'");
        }

        void awaitEnd() throws Exception {
            waitFor(Duration.ofMinutes(30), () -> !text("SELECT status FROM mf_release_batch WHERE id = " + batch)
                .equals("RUNNING"), "batch " + batch + " ended");
            end = System.nanoTime();
            statsAtEnd = platforms.send("GET", "/sandbox/admin/wechat/stats", null, null).get("per_api");
        }

        double seconds() {
            return (end - start) / 1e9;
        }

        void assertNothingLostOrRepeated() throws Exception {
            assertThat(text("SELECT status FROM mf_release_batch WHERE id = " + batch)).isEqualTo("COMPLETED");
            assertThat(released()).as("mini programs released (none lost)").isEqualTo(size);
            JsonNode perApi = stats();
            for (String api : STEPS) {
                assertThat(perApi.path(api).path("repeats").asLong()).as("repeated %s calls", api).isZero();
            }
            assertThat(perApi.path("wxa/release").path("calls").asLong()).as("release calls").isGreaterThanOrEqualTo(size);
            assertThat(jobsRunTwice()).as("jobs that ran twice (the job log)").isZero();
        }

        /** The platform's calls per API from this batch's start to its end. */
        JsonNode stats() {
            return statsAtEnd;
        }

        long calls(String api) throws Exception {
            return stats().path(api).path("calls").asLong();
        }

        long allCalls() throws Exception {
            long calls = 0;
            for (JsonNode api : stats()) {
                calls += api.path("calls").asLong();
            }
            return calls;
        }

        Map<String, Long> jobsPerNode() throws SQLException {
            Map<String, Long> perNode = new LinkedHashMap<>();
            try (Connection c = connection(); PreparedStatement s = c.prepareStatement("SELECT HOSTNAME_, COUNT(*)"
                    + " FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 2 AND TIMESTAMP_ >= ? GROUP BY HOSTNAME_ ORDER BY 1")) {
                s.setTimestamp(1, since);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        perNode.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return perNode;
        }

        long jobsRunTwice() throws SQLException {
            return since("SELECT COUNT(*) FROM (SELECT JOB_ID_ FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 2"
                + " AND PROCESS_DEF_KEY_ IS NOT NULL AND TIMESTAMP_ >= ? GROUP BY JOB_ID_ HAVING COUNT(*) > 1) twice");
        }

        long lockingConflicts() throws SQLException {
            return since("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 1 AND TIMESTAMP_ >= ?"
                + " AND (JOB_EXCEPTION_MSG_ LIKE '%updated by another transaction%'"
                + " OR JOB_EXCEPTION_MSG_ LIKE '%OptimisticLocking%')");
        }

        long failedJobs() throws SQLException {
            return since("SELECT COUNT(*) FROM ACT_HI_JOB_LOG WHERE JOB_STATE_ = 1 AND TIMESTAMP_ >= ?");
        }

        long incidents() throws SQLException {
            return since("SELECT COUNT(*) FROM ACT_HI_INCIDENT WHERE CREATE_TIME_ >= ?");
        }

        private long since(String sql) throws SQLException {
            try (Connection c = connection(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setTimestamp(1, since);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }

        /** The batch's figures as a markdown table, with further rows. */
        String table(Map<String, String> more) throws Exception {
            JsonNode perApi = stats();
            StringBuilder t = new StringBuilder("| figure | value |\n|---|---|\n");
            t.append(String.format("| mini programs released | %d of %d in %.1f s |\n", released(), size, seconds()));
            t.append("| repeated commit / submit / release calls | ").append(perApi.path("wxa/commit").path("repeats").asLong())
                .append(" / ").append(perApi.path("wxa/submit_audit").path("repeats").asLong()).append(" / ")
                .append(perApi.path("wxa/release").path("repeats").asLong()).append(" |\n");
            t.append("| jobs done per node | ").append(jobsPerNode()).append(" |\n");
            t.append("| jobs that ran twice | ").append(jobsRunTwice()).append(" |\n");
            t.append("| failed job runs (of them optimistic-locking conflicts) | ").append(failedJobs()).append(" (")
                .append(lockingConflicts()).append(") |\n");
            t.append("| incidents | ").append(incidents()).append(" |\n");
            more.forEach((k, v) -> t.append("| ").append(k).append(" | ").append(v).append(" |\n"));
            return t.toString();
        }
    }

    // --- the cluster

    private void startNode(String name) throws Exception {
        List<String> settings = new ArrayList<>(MiniflowNode.usingEmulatorsAt(platforms));
        settings.addAll(List.of(
            "--miniflow.node-name=" + name,
            "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME.toMillis(),
            // A lost push is found by polling within seconds here (production: first after 30 minutes).
            "--miniflow.release.audit-poll-first=PT5S", "--miniflow.release.audit-poll-max=PT10S",
            "--miniflow.release.audit-poll-check=PT1S"));
        MiniflowNode node = MiniflowNode.start("reliability-" + name, "768m", ports.get(name), db.url(),
            MariaDbServer.USER, MariaDbServer.PASSWORD, settings);
        nodes.put(name, node);
        balancer.nodes(nodes.values().stream().map(MiniflowNode::base).toList());
    }

    private double retries() throws Exception {
        double sum = 0;
        for (MiniflowNode node : nodes.values()) {
            HttpResponse<String> answer = http.send(authorized(HttpRequest.newBuilder(
                URI.create(node.base() + "/actuator/prometheus")), "operator").GET().build(),
                HttpResponse.BodyHandlers.ofString());
            for (String line : answer.body().split("\n")) {
                if (line.startsWith("miniflow_platform_retries_total{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private int health(MiniflowNode node) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(node.base() + "/actuator/health"))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private int request(String method, String url, String body, String user) throws Exception {
        return http.send(authorized(HttpRequest.newBuilder(URI.create(url)), user)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String user) {
        return request.header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
    }

    // --- the database

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(db.url(), MariaDbServer.USER, MariaDbServer.PASSWORD);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Timestamp timestamp(String sql) throws SQLException {
        try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    // --- waiting

    interface Check {
        boolean holds() throws Exception;
    }

    interface Probe<T> {
        T value() throws Exception;
    }

    private static void waitFor(Duration atMost, Check check, String what) throws Exception {
        waitForValue(atMost, () -> check.holds() ? Boolean.TRUE : null, what);
    }

    private static <T> T waitForValue(Duration atMost, Probe<T> probe, String what) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.value();
                if (value != null) {
                    return value;
                }
            } catch (SQLException e) {
                last = e; // the database may be away (scenario 5)
            }
            Thread.sleep(500);
        }
        throw new AssertionError("waited " + atMost + " for: " + what, last);
    }
}
