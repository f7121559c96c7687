package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A batch survives a node killed in the middle of it: Miniflow (with its WeChat sandbox) runs as a separate JVM on
 * MariaDB, is killed with SIGKILL while mini programs are committing, auditing and releasing, and a new JVM on the
 * same database finishes the batch. Every mini program ends released exactly once: the sandbox counts no repeated
 * commit, submit or release. Needs TEST_DB_CRASH_URL (.ci/run creates that database); skipped elsewhere.
 */
@EnabledIfEnvironmentVariable(named = "TEST_DB_CRASH_URL", matches = ".+",
    disabledReason = "needs TEST_DB_CRASH_URL: a MariaDB/MySQL database of its own, which .ci/run creates")
class ReleaseCrashSafetyTest {

    private static final int MINI_PROGRAMS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String dbUrl = System.getenv("TEST_DB_CRASH_URL");
    private final String dbUser = System.getenv().getOrDefault("TEST_DB_USER", "miniflow");
    private final String dbPassword = System.getenv().getOrDefault("TEST_DB_PASSWORD", "");
    private final List<Process> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Process::destroyForcibly);
    }

    @Test
    void aBatchInterruptedByAKilledNodeEndsWithEveryMiniProgramReleasedExactlyOnce() throws Exception {
        int portA = freePort();
        Process nodeA = startNode(portA, "a");
        String a = "http://localhost:" + portA;

        List<String> appIds = new ArrayList<>();
        for (JsonNode app : send(a, "POST", "/sandbox/admin/wechat/authorizers",
                "{\"count\":" + MINI_PROGRAMS + ",\"push\":true}", null)) {
            appIds.add(app.get("appid").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> authorized(appIds) == MINI_PROGRAMS);
        cancelLeftoverBatches(a);
        send(a, "DELETE", "/sandbox/admin/wechat/stats", null, null);
        long template = queryLong("SELECT MIN(template_id) FROM sandbox_wechat_template");

        JsonNode started = send(a, "POST", "/api/wechat/releases", JSON.writeValueAsString(Map.of(
            "templateId", template, "appIds", appIds, "userVersion", "9." + (System.currentTimeMillis() % 100000) + ".0",
            "userDesc", "crash test", "concurrency", 10)), "mpadmin");
        long batch = started.get("releaseId").asLong();

        // Kill the node while the batch is in full flight: some released, many in between.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
            .until(() -> released(batch) >= 3);
        nodeA.destroyForcibly().waitFor();
        long releasedAtCrash = released(batch);
        assertThat(releasedAtCrash).as("the node died mid-batch").isLessThan(MINI_PROGRAMS);

        int portB = freePort();
        startNode(portB, "b");
        String b = "http://localhost:" + portB;
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
            .until(() -> released(batch) == MINI_PROGRAMS);

        JsonNode perApi = send(b, "GET", "/sandbox/admin/wechat/stats", null, null).get("per_api");
        for (String api : List.of("wxa/commit", "wxa/submit_audit", "wxa/release")) {
            assertThat(perApi.get(api).get("repeats").asLong()).as("repeats of %s", api).isZero();
        }
        assertThat(perApi.get("wxa/release").get("calls").asLong()).isEqualTo(MINI_PROGRAMS);
        JsonNode view = send(b, "GET", "/api/wechat/releases/" + batch, null, "mpadmin");
        assertThat(view.get("totals").get("RELEASED").asLong()).isEqualTo(MINI_PROGRAMS);
    }

    // --- nodes

    private Process startNode(int port, String name) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", applicationClasspath(),
            "io.miniflow.MiniflowApplication",
            "--spring.profiles.active=sandbox,mysql",
            "--server.port=" + port,
            "--spring.datasource.url=" + dbUrl,
            "--spring.datasource.username=" + dbUser,
            "--spring.datasource.password=" + dbPassword,
            // A killed node's locked jobs become free again after this long.
            "--camunda.bpm.job-execution.lock-time-in-millis=10000",
            "--miniflow.release.audit-poll-interval=PT5S",
            "--miniflow.release.retry-cycle=R5/PT2S",
            "--miniflow.sandbox.wechat.audit-delay=2s",
            "--miniflow.sandbox.wechat.privacy-scan-delay=0s",
            "--miniflow.deploy.local-root=target/crash-deploy",
            "--logging.level.root=WARN"));
        File log = new File("target/crash-node-" + name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
        nodes.add(process);
        String base = "http://localhost:" + port;
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
            .until(() -> !process.isAlive() || isUp(base));
        assertThat(process.isAlive()).as("node %s is running (its log: %s)", name, log).isTrue();
        return process;
    }

    private boolean isUp(String base) {
        try {
            return send(base, "GET", "/actuator/health", null, null).path("status").asText().equals("UP");
        } catch (Exception e) {
            return false;
        }
    }

    private void cancelLeftoverBatches(String base) throws Exception {
        for (JsonNode b : send(base, "GET", "/api/wechat/releases?size=200", null, "mpadmin").get("items")) {
            String status = b.get("status").asText();
            if (status.equals("RUNNING") || status.equals("PAUSED") || status.equals("HALTED")) {
                send(base, "POST", "/api/wechat/releases/" + b.get("id").asLong() + "/cancel", null, "mpadmin");
            }
        }
    }

    private JsonNode send(String base, String method, String path, String body, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    // --- the database

    private long released(long batch) throws SQLException {
        return queryLong("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = " + batch + " AND stage = 'RELEASED'");
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

    private long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The application's classpath for a child JVM: this JVM's entries (surefire may hand them over in a manifest-only
     * jar), each once, without the test classes.
     */
    private static String applicationClasspath() throws IOException {
        java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                    String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String url : manifestPath.trim().split("\\s+")) {
                            entries.add(new File(URI.create(url)).getPath());
                        }
                        continue;
                    }
                }
            }
            entries.add(new File(entry).getAbsolutePath());
        }
        entries.removeIf(e -> e.contains("surefire") || e.endsWith("test-classes") || e.endsWith("test-classes/"));
        return String.join(File.pathSeparator, entries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
