package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
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

/**
 * wechat-template-release end to end: the API starts a batch, each mini program goes through the WeChat emulator over
 * HTTP, audit results come back as encrypted pushes to /wechat/callback, and the emulator's stats prove nothing was
 * done twice.
 */
@MiniflowIntegrationTest
class WechatTemplateReleaseTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    TaskService taskService;
    @Autowired
    AuditPoller poller;
    @Autowired
    AuditPolls auditPolls;

    WechatSandboxHttp sandbox;
    long templateId;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":1500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        // The sandbox seeds its template library at start-up.
        templateId = await().atMost(Duration.ofSeconds(20)).until(this::firstTemplate, id -> id != null && id > 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        // One batch per template: end what a test left running so the next can use the template.
        for (Long id : jdbc.sql("SELECT id FROM mf_release_batch WHERE status IN ('RUNNING', 'PAUSED', 'HALTED')")
                .query(Long.class).list()) {
            mvc.perform(post("/api/wechat/releases/{id}/cancel", id).with(httpBasic("mpadmin", "mpadmin")));
        }
    }

    @Test
    void fiftyMiniProgramsWithOneRejectedAndOneDelayed() throws Exception {
        List<String> appIds = authorize(50);
        String rejected = appIds.get(7);
        String delayed = appIds.get(21);
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + rejected
            + "\",\"reason\":\"Category does not match the content\"}");
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"DELAY\",\"appid\":\"" + delayed + "\"}");
        sandbox.delete("/sandbox/admin/wechat/stats");

        long releaseId = start(appIds, "1.0." + System.nanoTime() % 1000, null, 10);

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
            assertThat(counts(releaseId)).containsEntry("RELEASED", 49L).containsEntry("REJECTED", 1L));
        assertThat(stage(releaseId, rejected)).isEqualTo("REJECTED");
        assertThat(stage(releaseId, delayed)).isEqualTo("RELEASED");
        String rejectedPid = jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
            .params(releaseId, rejected).query(String.class).single();
        assertThat(taskService.createTaskQuery().processInstanceId(rejectedPid).singleResult().getTaskDefinitionKey())
            .isEqualTo("Task_DecideAfterRejection");
        assertThat(runtimeService.getVariable(rejectedPid, ReleaseVariables.AUDIT_REASON.name()).toString())
            .contains("Category does not match");
        String delayedPid = jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
            .params(releaseId, delayed).query(String.class).single();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM ACT_HI_VARINST WHERE PROC_INST_ID_ = ? AND NAME_ = 'auditDelayed'")
            .param(delayedPid).query(Long.class).single()).isEqualTo(1);

        mvc.perform(get("/api/wechat/releases/{id}", releaseId).with(httpBasic("operator", "operator")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.totals.RELEASED").value(49))
            .andExpect(jsonPath("$.totals.REJECTED").value(1))
            .andExpect(jsonPath("$.batch.status").value("RUNNING"));

        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        for (String api : List.of("wxa/commit", "wxa/submit_audit", "wxa/release")) {
            JsonNode calls = perApi.get(api);
            assertThat(calls).as("calls of %s", api).isNotNull();
            assertThat(calls.get("repeats").asLong()).as("repeats of %s", api).isZero();
        }
        assertThat(perApi.get("wxa/release").get("calls").asLong()).isEqualTo(49);
    }

    @Test
    void badRequestsStartNothing() throws Exception {
        List<String> appIds = authorize(2);
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_release_batch").query(Long.class).single();
        String[] bodies = {
            "{\"appIds\":" + json.writeValueAsString(appIds) + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"}",
            "{\"templateId\":" + templateId + ",\"appIds\":[\"wxnotauthorized0001\"],\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"}",
            "{\"templateId\":" + templateId + ",\"appIds\":[\"bad appid!\"],\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"}",
            "{\"templateId\":" + templateId + ",\"appIds\":" + json.writeValueAsString(appIds) + ",\"userDesc\":\"x\"}",
            "{\"templateId\":" + templateId + ",\"appIds\":" + json.writeValueAsString(appIds) + ",\"userVersion\":\"1.0.0\"}",
            "{\"templateId\":" + templateId + ",\"appIds\":" + json.writeValueAsString(appIds)
                + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"x\",\"grayPlan\":[50,20]}",
            "{\"templateId\":" + templateId + ",\"appIds\":" + json.writeValueAsString(appIds)
                + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"x\",\"concurrency\":0}",
            "{\"templateId\":" + templateId + ",\"appIds\":" + json.writeValueAsString(appIds)
                + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"x\",\"grayPlan\":[5,120]}"};
        for (String body : bodies) {
            mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                    .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").isNotEmpty())
                .andExpect(jsonPath("$.message_zh").isNotEmpty());
        }
        mvc.perform(post("/api/wechat/releases").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"templateId\":" + templateId
                    + ",\"userVersion\":\"1.0.0\",\"userDesc\":\"x\"}"))
            .andExpect(status().isForbidden());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_release_batch").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void pauseHoldsNewStartsResumeGoesOnAndOneBatchPerTemplate() throws Exception {
        List<String> appIds = authorize(4);
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"desc_contains\":\"hold-me\"}");
        long releaseId = start(appIds, "2.0." + System.nanoTime() % 1000, "hold-me", 1);
        mvc.perform(post("/api/wechat/releases/{id}/pause", releaseId).with(httpBasic("operator", "operator")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("PAUSED"));
        // While it runs, the same template cannot be released again.
        mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin")).contentType(MediaType.APPLICATION_JSON)
                .content(startBody(appIds, "2.0.9", "again", 1)))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("release.templateBusy"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
            count(releaseId, ItemStage.QUEUED) >= 3);
        mvc.perform(post("/api/wechat/releases/{id}/resume", releaseId).with(httpBasic("operator", "operator")))
            .andExpect(status().isForbidden());
        mvc.perform(post("/api/wechat/releases/{id}/cancel", releaseId).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));
        assertThat(count(releaseId, ItemStage.CANCELLED)).isEqualTo(4);
    }

    @Test
    void theStopRuleHaltsNewStartsAfterTooManyFailuresAndResumeGoesOn() throws Exception {
        // One at a time, every audit rejected after 1.5 s: the first rejection halts the batch while most of the ten
        // still wait for a slot (each start takes several steps, so ten cannot all start within 1.5 s).
        List<String> appIds = authorize(10);
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\"}");
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", templateId,
                    "appIds", appIds, "userVersion", "3.0." + System.nanoTime() % 1000, "userDesc", "stop rule",
                    "concurrency", 1, "failureThreshold", 0))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long releaseId = json.readTree(body).get("releaseId").asLong();

        await().atMost(WAIT).until(() -> "HALTED".equals(batchStatus(releaseId)));
        // A mini program gives its slot back once it waits for the audit; halted, the batch grants no new one.
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.QUEUED) > 0
            && count(releaseId, ItemStage.QUEUED) < 10);
        long waiting = count(releaseId, ItemStage.QUEUED);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
            count(releaseId, ItemStage.QUEUED) == waiting);
        assertThat(jdbc.sql("SELECT in_flight FROM mf_release_batch WHERE id = ?").param(releaseId).query(Integer.class)
            .single()).isLessThanOrEqualTo(1);

        mvc.perform(post("/api/wechat/releases/{id}/resume", releaseId).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("RUNNING"));
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.QUEUED) < waiting);
    }

    @Test
    void aBatchBiggerThanTheQuotaAsksFirstAndPausesWhenTheQuotaRunsOut() throws Exception {
        List<String> appIds = authorize(3);
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":999}");
        long releaseId = start(appIds, "4.0." + System.nanoTime() % 1000, null, 3);
        String batchPid = jdbc.sql("SELECT process_instance_id FROM mf_release_batch WHERE id = ?").param(releaseId)
            .query(String.class).single();
        org.camunda.bpm.engine.task.Task decide = await().atMost(WAIT).until(() ->
            taskService.createTaskQuery().processInstanceId(batchPid).singleResult(), java.util.Objects::nonNull);
        assertThat(decide.getTaskDefinitionKey()).isEqualTo("Task_ConfirmOverQuota");
        assertThat(runtimeService.getVariable(batchPid, BatchVariables.QUOTA_REMAINING.name())).isEqualTo(1);
        taskService.complete(decide.getId(), Map.of("quotaDecision", "CONTINUE"));

        await().atMost(WAIT).until(() -> "PAUSED".equals(batchStatus(releaseId)));
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.QUOTA_WAIT) == 2);
        assertThat(jdbc.sql("SELECT status_reason FROM mf_release_batch WHERE id = ?").param(releaseId)
            .query(String.class).single()).contains("85085");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
    }

    @Test
    void aTagNamesTheTargets() throws Exception {
        List<String> appIds = authorize(3);
        String tag = "t" + System.nanoTime() % 100000;
        for (String appId : appIds.subList(0, 2)) {
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                    .put("/api/wechat/mini-programs/{a}/settings", appId).with(httpBasic("mpadmin", "mpadmin"))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"tags\":[\"" + tag + "\",\"other\"]}"))
                .andExpect(status().isOk());
        }
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", templateId,
                    "tag", tag, "userVersion", "6.0." + System.nanoTime() % 1000, "userDesc", "by tag"))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long releaseId = json.readTree(body).get("releaseId").asLong();
        assertThat(jdbc.sql("SELECT app_id FROM mf_release_item WHERE batch_id = ? ORDER BY app_id").param(releaseId)
            .query(String.class).list()).containsExactlyInAnyOrderElementsOf(appIds.subList(0, 2));
        mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", templateId,
                    "tag", "no-such-tag", "userVersion", "6.1.0", "userDesc", "by tag"))))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("release.tagEmpty"));
    }

    @Test
    void eachTenantsDomainsAndPrivacyContactReachThePlatform() throws Exception {
        List<String> appIds = authorize(2);
        String configured = appIds.get(0);
        String plain = appIds.get(1);
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .put("/api/wechat/mini-programs/{a}/settings", configured).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content("""
                    {"requestDomains":["https://api.shop.example"],"webviewDomains":["https://h5.shop.example"],
                     "privacyContactEmail":"privacy@shop.example"}"""))
            .andExpect(status().isOk());
        sandbox.delete("/sandbox/admin/wechat/stats");

        long releaseId = start(appIds, "8.0." + System.nanoTime() % 1000, "with settings", 2);
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.RELEASED) == 2);

        Map<String, Long> configuredCalls = callsOf(configured);
        assertThat(configuredCalls).containsEntry("wxa/modify_domain", 1L).containsEntry("wxa/setwebviewdomain", 1L)
            .containsEntry("cgi-bin/component/setprivacysetting", 1L);
        // A mini program without domains or a privacy contact gets no such calls: none were passed to its release.
        assertThat(callsOf(plain)).doesNotContainKeys("wxa/modify_domain", "wxa/setwebviewdomain",
            "cgi-bin/component/setprivacysetting").containsEntry("wxa/commit", 1L);
    }

    private Map<String, Long> callsOf(String appId) {
        Map<String, Long> calls = new java.util.TreeMap<>();
        for (JsonNode row : sandbox.get("/sandbox/admin/wechat/stats").get("rows")) {
            if (appId.equals(row.get("appid").asText())) {
                calls.put(row.get("api").asText(), row.get("calls").asLong());
            }
        }
        return calls;
    }

    @Test
    void grayStepsWaitForTheBatchsApproval() throws Exception {
        List<String> appIds = authorize(2);
        long first = start(appIds, "7.0." + System.nanoTime() % 1000, "first", 2);
        await().atMost(WAIT).until(() -> count(first, ItemStage.RELEASED) == 2);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(batchStatus(first)));

        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId", templateId,
                    "appIds", appIds, "userVersion", "7.1." + System.nanoTime() % 1000, "userDesc", "gray",
                    "grayPlan", List.of(10, 50, 100), "grayApproval", true))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long releaseId = json.readTree(body).get("releaseId").asLong();
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.GRAY) == 2);
        // Nothing moves on by itself.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
            count(releaseId, ItemStage.GRAY) == 2);
        mvc.perform(post("/api/wechat/releases/{id}/approve-gray-step", releaseId).with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden());
        await().atMost(WAIT).untilAsserted(() ->
            mvc.perform(post("/api/wechat/releases/{id}/approve-gray-step", releaseId).with(httpBasic("mpadmin", "mpadmin")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.approved").value(2)));
        await().atMost(WAIT).until(() -> count(releaseId, ItemStage.RELEASED) == 2);
    }

    @Test
    void aLostAuditPushIsFoundByPollsFurtherApartEachTimeAndAPushedOneIsNeverPolled() throws Exception {
        List<String> appIds = authorize(2);
        String pushed = appIds.get(0);
        String lost = appIds.get(1);

        // Pushed: released, nothing left to poll.
        long pushedBatch = start(List.of(pushed), "6.0." + System.nanoTime() % 1000, "pushed", 1);
        await().atMost(WAIT).until(() -> "RELEASED".equals(stage(pushedBatch, pushed)));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE app_id = ?").param(pushed).query(Long.class)
            .single()).isZero();
        // One batch per template: the next starts once this one closed.
        await().atMost(WAIT).until(() -> "COMPLETED".equals(batchStatus(pushedBatch)));

        // Lost: the platform decides after 20 s and its pushes go nowhere; the first poll is a minute away.
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":20000}");
        System.setProperty("miniflow.sandbox.wechat.push", "false");
        try {
            long releaseId = start(List.of(lost), "6.1." + System.nanoTime() % 1000, "lost push", 1);
            await().atMost(WAIT).until(() -> "AUDITING".equals(stage(releaseId, lost)));
            String lostRelease = jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ?")
                .param(releaseId).query(String.class).single();
            await().atMost(WAIT).until(() -> polls(lostRelease) != null);
            assertThat(secondsToNextPoll(lostRelease, "submitted_at")).isEqualTo(60);

            // A push that reached no release (it came before the submit step committed its wait, or its hand-over
            // failed) is left to the correlator's quick attempts at first: the poller's round does not touch it.
            auditPolls.pushNotHandedOver(lost, Instant.now());
            poller.pollDue();
            assertThat(polls(lostRelease)).isZero();
            // Once those are over, it makes the release due at the poller's next round: polled, still under review,
            // the next poll twice as far away.
            auditPolls.pushNotHandedOver(lost, Instant.now().minus(AuditPolls.QUICK_ATTEMPTS_WINDOW));
            poller.pollDue();
            await().atMost(WAIT).until(() -> polls(lostRelease) == 1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_push WHERE app_id = ?").param(lost).query(Long.class)
                .single()).isZero();
            assertThat(stage(releaseId, lost)).isEqualTo("AUDITING");
            assertThat(secondsToNextPoll(lostRelease, "CURRENT_TIMESTAMP")).isBetween(100L, 120L);

            // The platform decided and nobody heard: the next poll finds the result and the release goes on.
            await().atMost(WAIT).until(() -> jdbc.sql("SELECT status FROM sandbox_wechat_audit WHERE app_id = ?"
                + " ORDER BY audit_id DESC LIMIT 1").param(lost).query(Integer.class).single() == 0);
            makeDue(lostRelease);
            poller.pollDue();
            await().atMost(WAIT).until(() -> "RELEASED".equals(stage(releaseId, lost)));
            assertThat(polls(lostRelease)).as("nothing left to poll").isNull();
            await().atMost(WAIT).until(() -> "COMPLETED".equals(batchStatus(releaseId)));
        } finally {
            System.clearProperty("miniflow.sandbox.wechat.push");
        }
    }

    private Integer polls(String processInstanceId) {
        return jdbc.sql("SELECT polls FROM mf_audit_wait WHERE process_instance_id = ?").param(processInstanceId)
            .query(Integer.class).optional().orElse(null);
    }

    private long secondsToNextPoll(String processInstanceId, String from) {
        return jdbc.sql("SELECT DATEDIFF(SECOND, " + from + ", next_poll_at) FROM mf_audit_wait"
                + " WHERE process_instance_id = ?").param(processInstanceId).query(Long.class).single();
    }

    private void makeDue(String processInstanceId) {
        jdbc.sql("UPDATE mf_audit_wait SET next_poll_at = DATEADD(SECOND, -1, CURRENT_TIMESTAMP)"
            + " WHERE process_instance_id = ?").param(processInstanceId).update();
    }

    // --- helpers

    private String batchStatus(long releaseId) {
        return jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?").param(releaseId).query(String.class).single();
    }

    private Long firstTemplate() {
        return jdbc.sql("SELECT MIN(template_id) FROM sandbox_wechat_template").query(Long.class).single();
    }

    private List<String> authorize(int n) {
        List<String> appIds = new ArrayList<>();
        for (JsonNode a : sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":" + n + ",\"push\":true}")) {
            appIds.add(a.get("appid").asText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED' AND app_id IN ("
                    + String.join(",", appIds.stream().map(a -> "?").toList()) + ")")
            .params(new ArrayList<Object>(appIds)).query(Long.class).single() == n);
        return appIds;
    }

    private String startBody(List<String> appIds, String version, String desc, int concurrency) throws Exception {
        return json.writeValueAsString(Map.of("templateId", templateId, "appIds", appIds, "userVersion", version,
            "userDesc", desc, "concurrency", concurrency));
    }

    private long start(List<String> appIds, String version, String desc, int concurrency) throws Exception {
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON)
                .content(startBody(appIds, version, desc == null ? "batch test" : desc, concurrency)))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return json.readTree(body).get("releaseId").asLong();
    }

    private long count(long releaseId, ItemStage stage) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = ?")
            .params(releaseId, stage.name()).query(Long.class).single();
    }

    private Map<String, Long> counts(long releaseId) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.sql("SELECT stage, COUNT(*) AS n FROM mf_release_item WHERE batch_id = ? GROUP BY stage").param(releaseId)
            .query((rs, i) -> counts.put(rs.getString("stage"), rs.getLong("n"))).list();
        return counts;
    }

    private String stage(long releaseId, String appId) {
        return jdbc.sql("SELECT stage FROM mf_release_item WHERE batch_id = ? AND app_id = ?").params(releaseId, appId)
            .query(String.class).single();
    }
}
