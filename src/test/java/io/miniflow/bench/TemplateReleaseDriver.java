package io.miniflow.bench;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * Drives template releases for the benchmarks from outside Miniflow's processes, so it keeps working whatever the
 * processes look like: mini programs authorized in the WeChat emulator, a batch started through the public API as
 * mpadmin, progress read from mf_release_item and mf_release_batch only, the platform's view from the emulator's
 * statistics.
 */
final class TemplateReleaseDriver {

    /** What the emulator counted since its statistics were last cleared. */
    record PlatformCalls(long calls, long repeats, long refused) {
    }

    private final MockMvc mvc;
    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final WechatClient client;
    private final WechatSandboxHttp sandbox;

    TemplateReleaseDriver(MockMvc mvc, JdbcClient jdbc, ObjectMapper json, WechatClient client, int emulatorPort) {
        this.mvc = mvc;
        this.jdbc = jdbc;
        this.json = json;
        this.client = client;
        this.sandbox = new WechatSandboxHttp(emulatorPort);
    }

    /**
     * Starts the emulators in a JVM of their own and points this test context at them and at the MySQL-family
     * database (for @DynamicPropertySource); the caller closes the node after its tests.
     */
    static MiniflowNode startPlatformsElsewhere(DynamicPropertyRegistry registry, String name) {
        MiniflowNode platforms;
        try {
            // Miniflow's port is fixed beforehand: the platforms push to it.
            int miniflowPort = MiniflowNode.freePort();
            platforms = MiniflowNode.startEmulators(name, "1g", miniflowPort);
            registry.add("server.port", () -> miniflowPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String setting : MiniflowNode.usingEmulatorsAt(platforms)) {
            String[] nameAndValue = setting.substring(2).split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
        return platforms;
    }

    /**
     * Audits decided 500 ms after submission (and pushed), no privacy scan wait, {@code quota} submissions, the
     * latency and the emulator's rate limit (0: none). {@code platformsElsewhere}: the emulators started before
     * Miniflow listened, so their first verify ticket reached nobody and is sent again.
     */
    void prepareEmulator(int quota, long latencyMillis, int rateLimitPerSecond, boolean platformsElsewhere) {
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":" + quota + ",\"used\":0}");
        latency(latencyMillis);
        // The platform limits callers as Miniflow limits itself: a refusal (45011) would show Miniflow went too fast.
        sandbox.post("/sandbox/admin/wechat/settings", "{\"rate_limit_per_second\":" + rateLimitPerSecond + "}");
        if (platformsElsewhere) {
            sandbox.post("/sandbox/admin/wechat/ticket", null);
        }
    }

    /** Added by the emulator to every call from now on. */
    void latency(long millis) {
        sandbox.post("/sandbox/admin/wechat/latency", "{\"api\":\"*\",\"millis\":" + millis + "}");
    }

    void noRateLimit() {
        sandbox.post("/sandbox/admin/wechat/settings", "{\"rate_limit_per_second\":0}");
    }

    void clearPlatformStats() {
        sandbox.delete("/sandbox/admin/wechat/stats");
    }

    PlatformCalls platformCalls() {
        JsonNode stats = sandbox.get("/sandbox/admin/wechat/stats");
        long calls = 0;
        long repeats = 0;
        for (JsonNode api : stats.get("per_api")) {
            calls += api.get("calls").asLong();
            repeats += api.get("repeats").asLong();
        }
        return new PlatformCalls(calls, repeats, stats.get("rate_limited").asLong());
    }

    /** The emulator's first template, once it has seeded one, as Miniflow reads the template library. */
    long firstTemplate() {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> client.templates(null).stream()
            .mapToLong(WechatClient.Template::templateId).min().orElse(0), t -> t > 0);
    }

    /** Authorizes n new mini programs in the emulator and waits until Miniflow has taken in their pushes. */
    List<String> authorize(int n) {
        long before = authorizedCount();
        List<String> appIds = new ArrayList<>();
        for (JsonNode a : sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":" + n + ",\"push\":true}")) {
            appIds.add(a.get("appid").asText());
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> authorizedCount() >= before + n);
        return appIds;
    }

    private long authorizedCount() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'").query(Long.class)
            .single();
    }

    /** Starts a batch through the API as mpadmin; returns its id. */
    long startBatch(long template, List<String> appIds, int concurrency) throws Exception {
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", template,
                    "appIds", appIds, "userVersion", "5.0.0", "userDesc", "benchmark", "concurrency", concurrency))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return json.readTree(body).get("releaseId").asLong();
    }

    /**
     * Cancels, through the API, the batches an interrupted earlier run left active on this database: their steps would
     * run beside the measurement, and a template takes one active batch at a time.
     */
    void cancelActiveBatches() throws Exception {
        for (Long id : jdbc.sql("SELECT id FROM mf_release_batch WHERE status IN ('RUNNING', 'PAUSED', 'HALTED')")
            .query(Long.class).list()) {
            mvc.perform(post("/api/wechat/releases/" + id + "/cancel").with(httpBasic("mpadmin", "mpadmin")))
                .andExpect(status().isOk());
        }
    }

    /** Mini programs of the batch whose release has gone out. */
    long released(long batch) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = 'RELEASED'").param(batch)
            .query(Long.class).single();
    }

    /** The batch's releases not ended yet, as its own counter has them (a primary-key read). */
    long unfinished(long batch) {
        return jdbc.sql("SELECT unfinished FROM mf_release_batch WHERE id = ?").param(batch).query(Long.class).single();
    }

    /** The batch's status as mf_release_batch has it (RUNNING, COMPLETED, ...). */
    String batchStatus(long batch) {
        return jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?").param(batch).query(String.class).single();
    }

    /**
     * The same calls one mini program after the other, as a person would in a one-appid-at-a-time console: commit,
     * submit, wait for the audit by polling, release, verify. Returns the seconds per mini program.
     */
    double plainLoop(List<String> appIds, long template) throws InterruptedException {
        long start = System.nanoTime();
        for (String appId : appIds) {
            client.commit(appId, template, "{\"extAppid\":\"" + appId + "\"}", "4.0.0", "loop");
            long auditId = submitWhenScanned(appId);
            while (client.auditStatus(appId, auditId).status() != 0) {
                Thread.sleep(100);
            }
            client.release(appId);
            client.versionInfo(appId);
        }
        return (System.nanoTime() - start) / 1e9 / appIds.size();
    }

    private long submitWhenScanned(String appId) throws InterruptedException {
        while (true) {
            try {
                return client.submitAudit(appId, "loop", null, false);
            } catch (RuntimeException e) {
                Thread.sleep(100);
            }
        }
    }
}
