package io.miniflow.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowNode;

/**
 * Memory of a Miniflow node while N mini programs (-Dbench.waiting, default 10,000) of one batch all wait for WeChat's
 * audit. The node runs as its own JVM with a production-like heap (-Xmx512m) on MariaDB (TEST_DB_URL), and the
 * emulators in a JVM of their own (they hold every audit under review: WeChat's memory, not Miniflow's), so neither
 * the test framework, the platforms nor the database is counted. The audit poller waits its production interval
 * (30 min) before a first poll, as it would while real audits take hours.
 */
@Tag("bench")
@EnabledIfEnvironmentVariable(named = "TEST_DB_URL", matches = ".+",
    disabledReason = "needs TEST_DB_URL: a MariaDB/MySQL database (see .ci/run)")
class AuditWaitMemoryBenchmark {

    private static final int N = Integer.getInteger("bench.waiting", 10_000);
    private static final int CONCURRENCY = 200;
    private static final String HEAP = "512m";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void manyMiniProgramsWaitingForTheirAudit() throws Exception {
        int nodePort = MiniflowNode.freePort();
        List<String> settings = new ArrayList<>(List.of("--miniflow.release.audit-poll-first=PT30M"));
        try (MiniflowNode platforms = MiniflowNode.startEmulators("audit-wait-platforms", "1g", nodePort);
             MiniflowNode node = MiniflowNode.start("audit-wait", HEAP, nodePort, System.getenv("TEST_DB_URL"),
                System.getenv().getOrDefault("TEST_DB_USER", "miniflow"),
                System.getenv().getOrDefault("TEST_DB_PASSWORD", ""),
                withEmulators(settings, platforms), List.of("-XX:NativeMemoryTracking=summary"))) {
            // The platforms started before the node listened: their first verify ticket reached nobody.
            platforms.send("POST", "/sandbox/admin/wechat/ticket", null, null);
            node.cancelActiveBatches();
            platforms.send("POST", "/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}", null);
            platforms.send("POST", "/sandbox/admin/wechat/quota", "{\"limit\":" + (N + 100) + ",\"used\":0}", null);
            platforms.send("POST", "/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\"}", null);
            long template = firstTemplate(platforms);
            List<String> appIds = authorize(platforms, node);
            long rssBefore = node.rssMiB();

            long start = System.nanoTime();
            long batch = node.send("POST", "/api/wechat/releases", JSON.writeValueAsString(Map.of("templateId", template,
                "appIds", appIds, "userVersion", "6.0.0", "userDesc", "memory benchmark", "concurrency", CONCURRENCY)),
                "mpadmin").get("releaseId").asLong();
            long peakRss = 0;
            while (auditing(node, batch) < N || waitingForThePush(node) < N) {
                peakRss = Math.max(peakRss, node.rssMiB());
                Thread.sleep(1000);
                if (!node.isAlive() || System.nanoTime() - start > Duration.ofMinutes(40).toNanos()) {
                    throw new IllegalStateException("not all submitted: " + auditing(node, batch) + " of " + N
                        + (node.isAlive() ? " after 40 min" : ", the node died (target/node-audit-wait.log)"));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(10_000);
            long rssWaiting = node.rssMiB();
            node.collectGarbage();
            Thread.sleep(2000);
            long rssAfterGc = node.rssMiB();
            String committed = committedByArea(node.jcmd("VM.native_memory", "summary"));
            String heap = node.jcmd("GC.heap_info").lines().map(String::strip).filter(l -> l.contains("used"))
                .findFirst().orElse("(not read)");
            long subscriptions = waitingForThePush(node);
            long timers = node.queryLong("SELECT COUNT(*) FROM ACT_RU_JOB WHERE TYPE_ = 'timer'");
            long pollRows = node.queryLong("SELECT COUNT(*) FROM mf_audit_wait");

            BenchmarkReport.writeSection("audit-wait-memory-" + N, """
                ## Memory of a node with %d mini programs waiting for their audit

                A Miniflow node as its own JVM (-Xmx%s; the emulators in a JVM of their own) on MariaDB runs one
                `wechat-template-release` of %d mini programs (concurrency %d); the emulator holds every audit under
                review, so all of them end up waiting at once, each with its push subscription (%d) and a row of
                `mf_audit_wait` for the audit poller (%d rows; timer jobs left in the engine: %d). A mini program gives
                its start slot back when it starts waiting, so the whole batch reaches the audit.

                | measure | value |
                |---|---|
                | time until all %d were submitted | %.0f s |
                | node RSS before the batch (%d mini programs authorized) | %d MiB |
                | peak node RSS while they were being submitted | %d MiB |
                | node RSS with all %d waiting, 10 s after the last submission | %d MiB |
                | node RSS after a full GC (jcmd GC.run), all still waiting | %d MiB |
                | heap after that GC (jcmd GC.heap_info) | %s |

                Where the JVM's memory is, committed, after that GC (Native Memory Tracking, summary; the tracking
                itself is a few MiB of it):

                %s

                Reading: the waiting mini programs live in the database, not in memory; the engine loads one only
                when its push or a poll's answer arrives. Rerun: `mvn -Pbench verify -Dtest=AuditWaitMemoryBenchmark
                -Dbench.waiting=N` with TEST_DB_URL (see .ci/run); the batch is left waiting in that database, and the
                next run cancels it.
                """.formatted(N, HEAP, N, CONCURRENCY, subscriptions, pollRows, timers, N, seconds, N, rssBefore, peakRss, N,
                rssWaiting, rssAfterGc, heap, committed));
        }
    }

    /** The areas of an NMT summary with at least 1 MiB committed, as a table, largest first. */
    private static String committedByArea(String summary) {
        Matcher area = Pattern.compile("-\\s+([A-Za-z][\\w ]*?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)")
            .matcher(summary);
        Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
        List<Map.Entry<String, Long>> areas = new ArrayList<>();
        while (area.find()) {
            long mib = Long.parseLong(area.group(2)) / 1024;
            if (mib >= 1) {
                areas.add(Map.entry(area.group(1), mib));
            }
        }
        areas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder table = new StringBuilder("| area | committed |\n|---|---|\n");
        areas.forEach(a -> table.append("| ").append(a.getKey()).append(" | ").append(a.getValue()).append(" MiB |\n"));
        table.append("| **total** | ").append(total.find() ? Long.parseLong(total.group(1)) / 1024 + " MiB" : "?")
            .append(" |\n");
        return table.toString();
    }

    private static List<String> withEmulators(List<String> settings, MiniflowNode platforms) {
        settings.addAll(MiniflowNode.usingEmulatorsAt(platforms));
        return settings;
    }

    /** The platform's first code template, asked as a third-party platform asks WeChat (gettemplatelist). */
    private static long firstTemplate(MiniflowNode platforms) throws Exception {
        JsonNode platform = platforms.send("GET", "/sandbox/admin/wechat/platform", null, null);
        String token = platforms.send("POST", "/sandbox/wechat/cgi-bin/component/api_component_token",
            JSON.writeValueAsString(Map.of("component_appid", platform.get("component_appid").asText(),
                "component_appsecret", platform.get("component_appsecret").asText(),
                "component_verify_ticket", platform.get("component_verify_ticket").asText())), null)
            .get("component_access_token").asText();
        long first = Long.MAX_VALUE;
        for (JsonNode t : platforms.send("GET", "/sandbox/wechat/wxa/gettemplatelist?access_token=" + token, null, null)
                .get("template_list")) {
            first = Math.min(first, t.get("template_id").asLong());
        }
        return first;
    }

    /** Authorizes N mini programs in the emulator, a thousand per call, and waits until Miniflow has them. */
    private static List<String> authorize(MiniflowNode platforms, MiniflowNode node) throws Exception {
        long before = node.queryLong("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'");
        List<String> appIds = new ArrayList<>();
        for (int done = 0; done < N; done += 1000) {
            for (JsonNode a : platforms.send("POST", "/sandbox/admin/wechat/authorizers",
                    "{\"count\":" + Math.min(1000, N - done) + ",\"push\":true}", null)) {
                appIds.add(a.get("appid").asText());
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (node.queryLong("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'") < before + N) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Miniflow did not take in " + N + " authorizations within 10 min");
            }
            Thread.sleep(1000);
        }
        return appIds;
    }

    private static long waitingForThePush(MiniflowNode node) throws Exception {
        return node.queryLong("SELECT COUNT(*) FROM ACT_RU_EVENT_SUBSCR WHERE EVENT_NAME_ = 'wechat-audit-result'");
    }

    private static long auditing(MiniflowNode node, long batch) throws Exception {
        return node.queryLong("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = " + batch
            + " AND stage = 'AUDITING'");
    }
}
