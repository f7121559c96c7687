package io.miniflow.bench;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * A template released to N mini programs through wechat-template-release against the WeChat emulator of the same
 * JVM (0 ms added latency, audits decided after 500 ms), next to the same calls made one mini program at a time in a
 * plain loop, as a person would in a one-appid-at-a-time console. N: -Dbench.releases (default 1000). The subclasses
 * choose the database.
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

    @Test
    void releaseATemplateToManyMiniPrograms() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":" + (N + LOOP_SAMPLE + 100) + ",\"used\":0}");
        long template = await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
            "SELECT MIN(template_id) FROM sandbox_wechat_template").query(Long.class).single(), t -> t != null && t > 0);

        List<String> loopApps = authorize(sandbox, LOOP_SAMPLE);
        double loopSecondsPerMiniProgram = plainLoop(loopApps, template);

        List<String> appIds = authorize(sandbox, N);
        sandbox.delete("/sandbox/admin/wechat/stats");
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", template,
                    "appIds", appIds, "userVersion", "5.0.0", "userDesc", "benchmark", "concurrency", CONCURRENCY))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long batch = json.readTree(body).get("releaseId").asLong();
        long peakRss = 0;
        while (released(batch) < N) {
            peakRss = Math.max(peakRss, BenchmarkReport.rssMiB());
            Thread.sleep(1000);
            if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException("batch not done after 30 min: " + released(batch) + " of " + N);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        long calls = 0;
        long repeats = 0;
        for (JsonNode api : perApi) {
            calls += api.get("calls").asLong();
            repeats += api.get("repeats").asLong();
        }

        BenchmarkReport.writeSection("template-release-" + database() + "-" + N, """
            ## WeChat template release: %d mini programs on %s

            `wechat-template-release` with %d mini programs, concurrency %d, against the WeChat emulator in the same
            JVM over HTTP (0 ms added latency, each audit decided 500 ms after submission and pushed to
            /wechat/callback), database: %s, Miniflow's job executor settings. Each mini program is one
            wechat-mp-release (commit, domains, privacy, submit, audit push, release, verify) plus three steps of the
            batch (slot, call, free slot).

            | measure | value |
            |---|---|
            | wall time for %d released | %.1f s |
            | mini programs released / s | %.1f |
            | process CPU time | %.1f s (%.0f%% of 2 cores) |
            | platform calls made / repeated | %d / %d |
            | peak JVM RSS while the batch ran | %d MiB |
            | the same calls one mini program at a time (plain loop, measured on %d) | %.2f s per mini program, so about %.0f s for %d |

            Reading: the plain loop waits for each audit in turn, so its time grows with N times the audit delay;
            the batch waits for audits in parallel and is bound by the engine's job throughput (see the engine
            baseline above; Miniflow's job executor has at most 10 threads) and the platform's own speed. %s
            Not measured here: 100 ms latency per call,
            RSS while all N wait on audit. Rerun: `mvn -Pbench verify -Dtest='TemplateRelease*Benchmark'
            -Dbench.releases=N` (the MariaDB one needs TEST_DB_URL, see .ci/run).
            """.formatted(N, database(), N, CONCURRENCY, database(), N, seconds, N / seconds, cpuSeconds, cpuSeconds * 100 / seconds / 2,
            calls, repeats, peakRss, LOOP_SAMPLE, loopSecondsPerMiniProgram, loopSecondsPerMiniProgram * N, N,
            "h2".equals(database()) ? "The RSS includes the in-memory H2 database with all engine history."
                : "The database runs as its own process; its memory is not in the RSS."));
    }

    /** One mini program after the other: commit, submit, wait for the audit by polling, release, verify. */
    private double plainLoop(List<String> appIds, long template) throws InterruptedException {
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

    private List<String> authorize(WechatSandboxHttp sandbox, int n) {
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'").query(Long.class)
            .single();
        List<String> appIds = new ArrayList<>();
        for (JsonNode a : sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":" + n + ",\"push\":true}")) {
            appIds.add(a.get("appid").asText());
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'").query(Long.class).single()
            >= before + n);
        return appIds;
    }

    private long released(long batch) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = 'RELEASED'").param(batch)
            .query(Long.class).single();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }
}
