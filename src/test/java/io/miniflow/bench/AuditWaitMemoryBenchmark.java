package io.miniflow.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * Memory while N mini programs (-Dbench.waiting, default 10,000) of one batch all wait for WeChat's audit: the
 * emulator holds every audit under review, and the figure is taken once all N are submitted. On MariaDB, so the
 * database's memory is not counted in the JVM's; the audit poll runs at its production interval, as it would
 * while real audits take hours.
 */
@Tag("bench")
@MySqlIntegrationTest
class AuditWaitMemoryBenchmark {

    private static final int N = Integer.getInteger("bench.waiting", 10_000);
    private static final int CONCURRENCY = 200;

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
        registry.add("miniflow.release.audit-poll-interval", () -> "PT5M");
    }

    @Test
    void manyMiniProgramsWaitingForTheirAudit() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":" + (N + 100) + ",\"used\":0}");
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\"}");
        long template = TemplateReleaseBenchmarkBase.firstTemplate(jdbc);
        List<String> appIds = TemplateReleaseBenchmarkBase.authorize(jdbc, sandbox, N);
        long rssBefore = BenchmarkReport.rssMiB();

        long start = System.nanoTime();
        long batch = TemplateReleaseBenchmarkBase.startBatch(mvc, json, template, appIds, CONCURRENCY);
        long peakRss = 0;
        while (TemplateReleaseBenchmarkBase.inStage(jdbc, batch, "AUDITING") < N || waitingOnTheAuditEvent() < N) {
            peakRss = Math.max(peakRss, BenchmarkReport.rssMiB());
            Thread.sleep(1000);
            if (System.nanoTime() - start > Duration.ofMinutes(40).toNanos()) {
                throw new IllegalStateException("not all submitted after 40 min: "
                    + TemplateReleaseBenchmarkBase.inStage(jdbc, batch, "AUDITING") + " of " + N);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rssWaiting = BenchmarkReport.rssMiB();
        System.gc();
        Thread.sleep(2000);
        long heapLive = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / (1024 * 1024);
        long rssAfterGc = BenchmarkReport.rssMiB();
        long executions = jdbc.sql("SELECT COUNT(*) FROM ACT_RU_EXECUTION").query(Long.class).single();
        long jobs = jdbc.sql("SELECT COUNT(*) FROM ACT_RU_JOB").query(Long.class).single();

        BenchmarkReport.writeSection("audit-wait-memory-" + N, """
            ## Memory with %d mini programs waiting for their audit

            One `wechat-template-release` of %d mini programs (concurrency %d) on MariaDB; the emulator holds every
            audit under review, so all of them end up waiting at once, each with its push subscription and its poll
            timer (%d executions and %d jobs in the engine's tables then). A mini program gives its start slot back
            when it starts waiting, so the whole batch reaches the audit.

            | measure | value |
            |---|---|
            | time until all %d were submitted | %.0f s |
            | JVM RSS before the batch (application, emulator, %d authorizers) | %d MiB |
            | peak JVM RSS while they were being submitted | %d MiB |
            | JVM RSS with all %d waiting | %d MiB |
            | live heap after a full GC, with all %d waiting | %d MiB (committed %d MiB) |
            | JVM RSS after that GC | %d MiB |

            Reading: the waiting mini programs live in the database, not in memory; the engine loads one only when
            its push or its poll timer arrives. The RSS is mostly heap the JVM has committed and keeps (the tests run
            with -Xmx2g and the parallel collector, which gives little back); the live heap is what a smaller -Xmx
            would have to hold. Rerun: `mvn -Pbench verify -Dtest=AuditWaitMemoryBenchmark -Dbench.waiting=N` with
            TEST_DB_URL (see .ci/run).
            """.formatted(N, N, CONCURRENCY, executions, jobs, N, seconds, N, rssBefore, peakRss, N, rssWaiting, N,
            heapLive, heapCommitted, rssAfterGc));
    }

    private long waitingOnTheAuditEvent() {
        return jdbc.sql("SELECT COUNT(*) FROM ACT_RU_EVENT_SUBSCR WHERE EVENT_NAME_ = 'wechat-audit-result'")
            .query(Long.class).single();
    }
}
