package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
 * The emulators run as an application of their own (the sandbox-only command) in one JVM and Miniflow in another,
 * reaching them only over HTTP: a template release goes through, so benchmarks can measure Miniflow's CPU and the
 * platforms' apart. Needs TEST_DB_CRASH_URL (.ci/run creates that database), like the other multi-JVM test.
 */
@EnabledIfEnvironmentVariable(named = "TEST_DB_CRASH_URL", matches = ".+",
    disabledReason = "needs TEST_DB_CRASH_URL: a MariaDB/MySQL database of its own, which .ci/run creates")
class EmulatorsInTheirOwnJvmTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<MiniflowNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(MiniflowNode::close);
    }

    @Test
    void aReleaseGoesThroughWithThePlatformsInAJvmOfTheirOwn() throws Exception {
        int miniflowPort = MiniflowNode.freePort();
        MiniflowNode platforms = MiniflowNode.startEmulators("own-jvm-platforms", "384m", miniflowPort);
        nodes.add(platforms);
        List<String> settings = new ArrayList<>(MiniflowNode.usingEmulatorsAt(platforms));
        settings.addAll(List.of("--miniflow.release.audit-poll-first=PT5S",
            "--miniflow.release.audit-poll-max=PT10S", "--miniflow.release.audit-poll-check=PT1S", "--miniflow.release.retry-cycle=R5/PT2S"));
        MiniflowNode miniflow = MiniflowNode.start("own-jvm-miniflow", "512m", miniflowPort,
            System.getenv("TEST_DB_CRASH_URL"), System.getenv().getOrDefault("TEST_DB_USER", "miniflow"),
            System.getenv().getOrDefault("TEST_DB_PASSWORD", ""), settings);
        nodes.add(miniflow);

        assertThatThrownBy(() -> miniflow.send("GET", "/sandbox/admin/wechat/platform", null, "admin"))
            .as("Miniflow serves no emulator of its own").hasMessageContaining("404");
        platforms.send("POST", "/sandbox/admin/wechat/settings",
            "{\"audit_delay_millis\":2000,\"privacy_scan_delay_millis\":0}", null);
        platforms.send("POST", "/sandbox/admin/wechat/ticket", null, null);
        List<String> appIds = new ArrayList<>();
        for (JsonNode app : platforms.send("POST", "/sandbox/admin/wechat/authorizers", "{\"count\":3,\"push\":true}",
                null)) {
            appIds.add(app.get("appid").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> miniflow.queryLong(
            "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED' AND app_id IN ('"
                + String.join("','", appIds) + "')") == 3);
        miniflow.cancelActiveBatches();

        long batch = miniflow.send("POST", "/api/wechat/releases", JSON.writeValueAsString(Map.of("templateId", 1,
            "appIds", appIds, "userVersion", "7." + (System.currentTimeMillis() % 100000) + ".0",
            "userDesc", "own JVM")), "mpadmin").get("releaseId").asLong();

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> miniflow.queryLong(
            "SELECT COUNT(*) FROM mf_release_item WHERE batch_id = " + batch + " AND stage = 'RELEASED'") == 3);
        JsonNode perApi = platforms.send("GET", "/sandbox/admin/wechat/stats", null, null).get("per_api");
        assertThat(perApi.get("wxa/release").get("calls").asLong()).as("releases the platforms' JVM served").isEqualTo(3);
    }
}
