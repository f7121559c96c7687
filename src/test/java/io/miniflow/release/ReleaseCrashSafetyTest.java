package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;

/**
 * A batch survives a node killed in the middle of it: Miniflow runs as a separate JVM on MariaDB, is killed with
 * SIGKILL while mini programs are committing, auditing and releasing, and a new JVM on the same database finishes the
 * batch. Every mini program ends released exactly once: the platform counts no repeated commit, submit or release.
 * The emulators run in a JVM of their own, as the real platform would: killed with Miniflow, they could lose a call
 * they had served but not yet counted. Needs TEST_DB_CRASH_URL (.ci/run creates that database); skipped elsewhere.
 */
@EnabledIfEnvironmentVariable(named = "TEST_DB_CRASH_URL", matches = ".+",
    disabledReason = "needs TEST_DB_CRASH_URL: a MariaDB/MySQL database of its own, which .ci/run creates")
class ReleaseCrashSafetyTest {

    private static final int MINI_PROGRAMS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String dbUrl = System.getenv("TEST_DB_CRASH_URL");
    private final String dbUser = System.getenv().getOrDefault("TEST_DB_USER", "miniflow");
    private final String dbPassword = System.getenv().getOrDefault("TEST_DB_PASSWORD", "");
    private final List<MiniflowNode> nodes = new ArrayList<>();
    private MiniflowNode platforms;
    private int miniflowPort;

    @AfterEach
    void stopNodes() {
        nodes.forEach(MiniflowNode::close);
    }

    @Test
    void aBatchInterruptedByAKilledNodeEndsWithEveryMiniProgramReleasedExactlyOnce() throws Exception {
        miniflowPort = MiniflowNode.freePort();
        platforms = MiniflowNode.startEmulators("crash-platforms", "384m", miniflowPort);
        nodes.add(platforms);
        platforms.send("POST", "/sandbox/admin/wechat/settings",
            "{\"audit_delay_millis\":2000,\"privacy_scan_delay_millis\":0}", null);
        MiniflowNode a = startNode("a");
        platforms.send("POST", "/sandbox/admin/wechat/ticket", null, null);

        List<String> appIds = new ArrayList<>();
        for (JsonNode app : platforms.send("POST", "/sandbox/admin/wechat/authorizers",
                "{\"count\":" + MINI_PROGRAMS + ",\"push\":true}", null)) {
            appIds.add(app.get("appid").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> authorized(appIds) == MINI_PROGRAMS);
        a.cancelActiveBatches();
        platforms.send("DELETE", "/sandbox/admin/wechat/stats", null, null);
        // The emulators seed template 1 in their fresh database.
        long template = 1;

        JsonNode started = a.send("POST", "/api/wechat/releases", JSON.writeValueAsString(Map.of(
            "templateId", template, "appIds", appIds, "userVersion", "9." + (System.currentTimeMillis() % 100000) + ".0",
            "userDesc", "crash test", "concurrency", 10)), "mpadmin");
        long batch = started.get("releaseId").asLong();

        // Kill the node while the batch is in full flight: some released, many in between.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
            .until(() -> released(a, batch) >= 3);
        a.kill();
        long releasedAtCrash = released(a, batch);
        assertThat(releasedAtCrash).as("the node died mid-batch").isLessThan(MINI_PROGRAMS);

        MiniflowNode b = startNode("b");
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
            .until(() -> released(b, batch) == MINI_PROGRAMS);

        JsonNode perApi = platforms.send("GET", "/sandbox/admin/wechat/stats", null, null).get("per_api");
        for (String api : List.of("wxa/commit", "wxa/submit_audit", "wxa/release")) {
            assertThat(perApi.get(api).get("repeats").asLong()).as("repeats of %s", api).isZero();
        }
        assertThat(perApi.get("wxa/release").get("calls").asLong()).isEqualTo(MINI_PROGRAMS);
        JsonNode view = b.send("GET", "/api/wechat/releases/" + batch, null, "mpadmin");
        assertThat(view.get("totals").get("RELEASED").asLong()).isEqualTo(MINI_PROGRAMS);
    }

    /** A Miniflow node on the port the platforms push to (the killed node's successor takes the same one). */
    private MiniflowNode startNode(String name) throws Exception {
        List<String> settings = new ArrayList<>(MiniflowNode.usingEmulatorsAt(platforms));
        settings.addAll(List.of(
            // A killed node's locked jobs become free again after this long.
            "--camunda.bpm.job-execution.lock-time-in-millis=10000",
            "--miniflow.release.audit-poll-first=PT5S", "--miniflow.release.audit-poll-max=PT10S",
            "--miniflow.release.audit-poll-check=PT1S",
            "--miniflow.release.retry-cycle=R5/PT2S"));
        MiniflowNode node = MiniflowNode.start("crash-" + name, "512m", miniflowPort, dbUrl, dbUser, dbPassword,
            settings);
        nodes.add(node);
        return node;
    }

    // --- the database

    private static long released(MiniflowNode node, long batch) throws SQLException {
        return node.queryLong("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = " + batch
            + " AND stage = 'RELEASED'");
    }

    private long authorized(List<String> appIds) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'"
                 + " AND app_id IN (" + String.join(",", appIds.stream().map(x -> "?").toList()) + ")")) {
            for (int i = 0; i < appIds.size(); i++) {
                s.setString(i + 1, appIds.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
