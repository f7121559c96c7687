package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * Issue #19, scenario 6: a template release while WeChat's audit pushes are spoiled (the emulator's push faults, over
 * its control API): every second push dropped (the poll finds the result), every second of the others sent twice
 * (handed over once), every second audit decided at submission and pushed before submit_audit answers, i.e. before
 * the submit step committed its wait (not lost). Every mini program is released once, with no incident.
 */
@MiniflowIntegrationTest
class AuditPushFaultsReleaseTest {

    /** A dropped push is found by the poll, a minute after the submission in the sandbox (audit-poll-first). */
    private static final Duration WAIT = Duration.ofSeconds(240);
    private static final int COUNT = 6;

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WechatClient client;

    WechatSandboxHttp sandbox;
    long templateId;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":1000,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        templateId = ReleaseTestTemplates.own(client, sandbox, "audit push faults");
    }

    @AfterEach
    void tearDown() throws Exception {
        // The emulator keeps its settings: later tests expect every push delivered once.
        sandbox.delete("/sandbox/admin/wechat/push-faults");
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
    }

    @Test
    void droppedDuplicatedAndEarlyPushesReleaseEveryMiniProgramOnce() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, COUNT);
        sandbox.delete("/sandbox/admin/wechat/stats");
        JsonNode faults = sandbox.post("/sandbox/admin/wechat/push-faults",
            "{\"drop_rate\":0.5,\"duplicate_rate\":0.5,\"early_rate\":0.5}").get("push_faults");
        assertThat(faults.get("drop_rate").asDouble()).isEqualTo(0.5);

        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", templateId,
                    "appIds", appIds, "userVersion", "19.6." + System.nanoTime() % 1000, "userDesc", "push faults",
                    "concurrency", COUNT))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long releaseId = json.readTree(body).get("releaseId").asLong();

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> released(releaseId) == COUNT);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?")
            .param(releaseId).query(String.class).single()));

        // The faults happened: half the audit pushes dropped, some sent twice, half the audits pushed early.
        JsonNode pushes = sandbox.get("/sandbox/admin/wechat/stats").get("pushes");
        assertThat(pushes.get("dropped").asLong()).as("dropped pushes").isGreaterThanOrEqualTo(COUNT / 2);
        assertThat(pushes.get("duplicated").asLong()).as("duplicated pushes").isGreaterThanOrEqualTo(1);
        assertThat(pushes.get("early").asLong()).as("pushes before submit_audit answered").isGreaterThanOrEqualTo(1);
        assertThat(pushes.get("failed").asLong()).as("pushes Miniflow did not accept, duplicates included").isZero();

        // Released once each: no repeated platform call.
        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        for (String api : List.of("wxa/commit", "wxa/submit_audit", "wxa/release")) {
            assertThat(perApi.get(api).get("calls").asLong()).as("calls of %s", api).isEqualTo(COUNT);
            assertThat(perApi.get(api).get("repeats").asLong()).as("repeats of %s", api).isZero();
        }
        for (String appId : appIds) {
            String pid = jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
                .params(releaseId, appId).query(String.class).single();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE PROC_DEF_KEY_ = ? AND BUSINESS_KEY_ = ?")
                .params(ReleaseVariables.PROCESS_KEY, appId).query(Long.class).single())
                .as("release processes of %s", appId).isEqualTo(1);
            assertThat(jdbc.sql("SELECT END_ACT_ID_ FROM ACT_HI_PROCINST WHERE ID_ = ?").param(pid)
                .query(String.class).single()).as("%s ended released", appId).isEqualTo("EndEvent_Released");
            // Handed over once: a duplicate or a late poll answer found no wait and changed nothing.
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_ACTINST WHERE PROC_INST_ID_ = ? AND ACT_ID_ = ?")
                .params(pid, "Event_AuditResult").query(Long.class).single())
                .as("audit results taken by %s", appId).isEqualTo(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_INCIDENT WHERE PROC_INST_ID_ = ?").param(pid)
                .query(Long.class).single()).as("incidents of %s", appId).isZero();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE app_id = ?").param(appId)
                .query(Long.class).single()).as("%s left to poll", appId).isZero();
        }
    }

    private long released(long releaseId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = 'RELEASED'")
            .param(releaseId).query(Long.class).single();
    }
}
