package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
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
 * A batch's "roll back every released mini program" and wechat-mp-rollback on every path (back to the previous
 * version, a gray release cancelled, nothing of this version online any more, the platform's refusal, refused
 * requests), and "retry the failed ones", through the API with the WeChat emulator over HTTP.
 */
@MiniflowIntegrationTest
class BatchRollbackAndRetryTest {

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
    WechatClient client;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;
    @Autowired
    TaskService taskService;
    @Autowired
    ManagementService managementService;

    WechatSandboxHttp sandbox;
    long templateId;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        templateId = ReleaseTestTemplates.own(client, sandbox, "rollback and retry");
    }

    @AfterEach
    void tearDown() throws Exception {
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
    }

    @Test
    void rollingBackEveryReleasedMiniProgramRevertsEachToItsPreviousVersion() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 3);
        String v1 = version("1");
        String v2 = version("2");
        released(appIds, v1, null);
        long second = released(appIds, v2, null);
        for (String appId : appIds) {
            assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo(v2);
        }
        sandbox.delete("/sandbox/admin/wechat/stats");

        mvc.perform(post("/api/wechat/releases/{id}/rollback", second).with(httpBasic("operator", "operator")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.rollingBack.length()").value(3));
        await().atMost(WAIT).until(() -> count(second, ItemStage.ROLLED_BACK) == 3);
        for (String appId : appIds) {
            assertThat(client.versionInfo(appId).releaseVersion()).as("%s back to the previous version", appId)
                .isEqualTo(v1);
            assertThat(rollbackTarget(second, appId)).isEqualTo("REVERTED_TO_PREVIOUS");
        }
        assertThat(callsOf("wxa/revertcoderelease")).isEqualTo(3);
        // Rolled back already: a second request is refused and starts nothing.
        mvc.perform(post("/api/wechat/releases/{id}/rollback", second).with(httpBasic("operator", "operator"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"appIds\":[\"" + appIds.get(0) + "\"]}"))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("release.cannotRollBack"));
        assertThat(callsOf("wxa/revertcoderelease")).isEqualTo(3);
    }

    @Test
    void aSelectionRollsBackOnlyThoseAndAVersionNoLongerOnlineIsLeftAsItIs() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 2);
        String v1 = version("1");
        String v2 = version("2");
        String v3 = version("3");
        released(appIds, v1, null);
        long second = released(appIds, v2, null);
        // The second mini program moved on to v3 since: rolling back v2 there must not touch what it serves now.
        released(List.of(appIds.get(1)), v3, null);
        sandbox.delete("/sandbox/admin/wechat/stats");

        mvc.perform(post("/api/wechat/releases/{id}/rollback", second).with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("appIds", appIds))))
            .andExpect(status().isOk()).andExpect(jsonPath("$.rollingBack.length()").value(2));
        await().atMost(WAIT).until(() -> count(second, ItemStage.ROLLED_BACK) == 2);
        assertThat(rollbackTarget(second, appIds.get(0))).isEqualTo("REVERTED_TO_PREVIOUS");
        assertThat(client.versionInfo(appIds.get(0)).releaseVersion()).isEqualTo(v1);
        assertThat(rollbackTarget(second, appIds.get(1))).isEqualTo("NOTHING_RELEASED");
        assertThat(client.versionInfo(appIds.get(1)).releaseVersion()).isEqualTo(v3);
        assertThat(callsOf("wxa/revertcoderelease")).as("one revert only").isEqualTo(1);
    }

    @Test
    void aMiniProgramInItsGrayReleaseIsRolledBackByItsOwnReleaseCancellingTheGrayRelease() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 1);
        String appId = appIds.get(0);
        String v1 = version("1");
        released(appIds, v1, null);
        long gray = start(appIds, version("2"), Map.of("grayPlan", List.of(10, 50, 100), "grayApproval", true));
        await().atMost(WAIT).until(() -> count(gray, ItemStage.GRAY) == 1);
        await().atMost(WAIT).until(() -> client.grayReleasePlan(appId).status() == 1);
        String pid = pid(gray, appId);

        mvc.perform(post("/api/wechat/releases/{id}/rollback", gray).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.rollingBack[0]").value(appId));
        await().atMost(WAIT).until(() -> count(gray, ItemStage.ROLLED_BACK) == 1);
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(pid)
            .variableName(ReleaseVariables.ROLLBACK_TARGET.name()).singleResult().getValue()).isEqualTo("GRAY_REVERTED");
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(pid)
            .activityId("EndEvent_RolledBack").count()).isEqualTo(1);
        assertThat(client.grayReleasePlan(appId).status()).as("gray release cancelled").isNotEqualTo(1);
        assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo(v1);
        await().atMost(WAIT).until(() -> !"RUNNING".equals(batchStatus(gray)));
    }

    @Test
    void theRefusalOfThePlatformStopsTheRollbackAsAnIncidentWithWechatsWords() throws Exception {
        // Released once only: WeChat has no previous version to go back to (87012).
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 1);
        String appId = appIds.get(0);
        long batch = released(appIds, version("1"), null);
        mvc.perform(post("/api/wechat/releases/{id}/rollback", batch).with(httpBasic("operator", "operator")))
            .andExpect(status().isOk());
        String rollback = await().atMost(WAIT).until(() -> runtimeService.createProcessInstanceQuery()
            .processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY).processInstanceBusinessKey("rollback-" + batch
                + "-" + appId).singleResult(), java.util.Objects::nonNull).getId();
        Job job = await().atMost(WAIT).until(() -> managementService.createJobQuery().processInstanceId(rollback)
            .singleResult(), j -> j != null && j.getExceptionMessage() != null);
        assertThat(job.getExceptionMessage()).contains("87012");
        assertThat(job.getRetries()).as("a refusal waiting cannot change: no retry cycle").isZero();
        assertThat(runtimeService.createIncidentQuery().processInstanceId(rollback).singleResult().getIncidentMessage())
            .as("the incident in zh-CN and English, with WeChat's code").contains("87012").contains(" / ");
        assertThat(stage(batch, appId)).isEqualTo("ROLLING_BACK");
        assertThat(client.versionInfo(appId).releaseVersion()).as("still online").isNotNull();
        runtimeService.deleteProcessInstance(rollback, "test over");
        assertThat(stage(batch, appId)).isEqualTo("CANCELLED");
    }

    @Test
    void badRollbackRequestsAreRefusedAndStartNothing() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 2);
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\"" + appIds.get(1) + "\"}");
        long batch = start(appIds, version("1"), Map.of());
        await().atMost(WAIT).until(() -> "RELEASED".equals(stage(batch, appIds.get(0)))
            && "AUDITING".equals(stage(batch, appIds.get(1))));
        String stranger = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        long before = rollbacks();

        String[][] refused = {
            {"{\"appIds\":[\"" + appIds.get(1) + "\"]}", "409"},
            {"{\"appIds\":[\"" + appIds.get(0) + "\",\"" + appIds.get(1) + "\"]}", "409"},
            {"{\"appIds\":[\"" + stranger + "\"]}", "400"},
            {"{\"appIds\":[\"bad appid!\"]}", "400"},
            {"{\"appIds\":[null]}", "400"},
            {"{\"appIds\":\"" + appIds.get(0) + "\"}", "400"}};
        for (String[] r : refused) {
            mvc.perform(post("/api/wechat/releases/{id}/rollback", batch).with(httpBasic("mpadmin", "mpadmin"))
                    .contentType(MediaType.APPLICATION_JSON).content(r[0]))
                .andExpect(status().is(Integer.parseInt(r[1]))).andExpect(jsonPath("$.detail").isNotEmpty());
        }
        mvc.perform(post("/api/wechat/releases/{id}/rollback", batch).with(httpBasic("developer", "developer")))
            .andExpect(status().isForbidden());
        mvc.perform(post("/api/wechat/releases/{id}/rollback", 987_654_321L).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isNotFound());
        assertThat(rollbacks()).isEqualTo(before);
        assertThat(stage(batch, appIds.get(0))).isEqualTo("RELEASED");
    }

    @Test
    void retryingTheFailedOnesReleasesThemAndLeavesTheReleasedOnesUntouched() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 5);
        List<String> failing = appIds.subList(0, 3);
        List<String> passing = appIds.subList(3, 5);
        // The fault: three mini programs' audits are rejected, and their admins give up on them (FAILED for good).
        for (String appId : failing) {
            sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + appId
                + "\",\"reason\":\"h18b permanent failure\"}");
        }
        String v = version("1");
        long first = start(appIds, v, Map.of("failureThreshold", 5));
        await().atMost(WAIT).until(() -> count(first, ItemStage.REJECTED) == 3 && count(first, ItemStage.RELEASED) == 2);
        for (String appId : failing) {
            Task decide = taskService.createTaskQuery().processInstanceId(pid(first, appId)).singleResult();
            assertThat(decide.getTaskDefinitionKey()).isEqualTo("Task_DecideAfterRejection");
            taskService.complete(decide.getId(), Map.of(ReleaseVariables.REJECTION_DECISION.name(), "ABANDON"));
        }
        await().atMost(WAIT).until(() -> !List.of("RUNNING", "PAUSED", "HALTED").contains(batchStatus(first)));
        assertThat(count(first, ItemStage.FAILED)).isEqualTo(3);
        Map<String, String> releasedBefore = new TreeMap<>();
        for (String appId : passing) {
            releasedBefore.put(appId, client.versionInfo(appId).releaseVersion());
        }

        // The fault cleared: retry the failed ones.
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        sandbox.delete("/sandbox/admin/wechat/stats");
        String body = mvc.perform(post("/api/wechat/releases/{id}/retry-failed", first).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long retry = json.readTree(body).get("releaseId").asLong();
        assertThat(jdbc.sql("SELECT app_id FROM mf_release_item WHERE batch_id = ?").param(retry).query(String.class)
            .list()).containsExactlyInAnyOrderElementsOf(failing);
        await().atMost(WAIT).until(() -> count(retry, ItemStage.RELEASED) == 3);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(batchStatus(retry)));
        for (String appId : failing) {
            assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo(v);
        }
        // The released ones untouched: no call reached them, their version and their rows are as they were.
        JsonNode rows = sandbox.get("/sandbox/admin/wechat/stats").get("rows");
        for (JsonNode row : rows) {
            assertThat(passing).as("a call of %s reached a released mini program", row.get("api").asText())
                .doesNotContain(row.get("appid").asText());
        }
        for (String appId : passing) {
            assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo(releasedBefore.get(appId));
            assertThat(stage(first, appId)).isEqualTo("RELEASED");
        }
        assertThat(count(first, ItemStage.FAILED)).as("the first batch keeps its record").isEqualTo(3);
        // The retry batch failed nowhere: there is nothing to retry in it.
        mvc.perform(post("/api/wechat/releases/{id}/retry-failed", retry).with(httpBasic("mpadmin", "mpadmin")))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("release.nothingFailed"));
    }

    // --- helpers

    private String version(String major) {
        return major + ".18." + System.nanoTime() % 100000;
    }

    private long start(List<String> appIds, String version, Map<String, Object> extra) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("templateId", templateId, "appIds", appIds,
            "userVersion", version, "userDesc", "rollback and retry", "concurrency", 5));
        body.putAll(extra);
        String answer = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return json.readTree(answer).get("releaseId").asLong();
    }

    /** A batch of this version released to all of them and closed (the template is free for the next one). */
    private long released(List<String> appIds, String version, Map<String, Object> extra) throws Exception {
        long batch = start(appIds, version, extra == null ? Map.of() : extra);
        await().atMost(WAIT).until(() -> "COMPLETED".equals(batchStatus(batch)));
        assertThat(count(batch, ItemStage.RELEASED)).isEqualTo(appIds.size());
        return batch;
    }

    private long callsOf(String api) {
        JsonNode calls = sandbox.get("/sandbox/admin/wechat/stats").get("per_api").get(api);
        return calls == null ? 0 : calls.get("calls").asLong();
    }

    private long rollbacks() {
        return runtimeService.createProcessInstanceQuery().processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY)
            .count() + historyService.createHistoricProcessInstanceQuery()
            .processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY).finished().count();
    }

    private String rollbackTarget(long batch, String appId) {
        String pid = historyService.createHistoricProcessInstanceQuery()
            .processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY)
            .processInstanceBusinessKey("rollback-" + batch + "-" + appId).singleResult().getId();
        return (String) historyService.createHistoricVariableInstanceQuery().processInstanceId(pid)
            .variableName(ReleaseVariables.ROLLBACK_TARGET.name()).singleResult().getValue();
    }

    private String batchStatus(long batch) {
        return jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?").param(batch).query(String.class).single();
    }

    private long count(long batch, ItemStage stage) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = ?")
            .params(batch, stage.name()).query(Long.class).single();
    }

    private String stage(long batch, String appId) {
        return jdbc.sql("SELECT stage FROM mf_release_item WHERE batch_id = ? AND app_id = ?").params(batch, appId)
            .query(String.class).single();
    }

    private String pid(long batch, String appId) {
        return jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
            .params(batch, appId).query(String.class).single();
    }
}
